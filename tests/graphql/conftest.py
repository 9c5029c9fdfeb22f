"""GraphQL API fixtures: the app with a fast identity service, seeded clients and accounts, tokens."""
from __future__ import annotations

import pytest


@pytest.fixture
def identity(app, settings):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.mailer import MemoryMailer
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    config = config_from_settings(settings, passwords=Passwords(fast_hasher()), mailer=MemoryMailer())
    service = IdentityService(app.state.database, config)
    app.state.identity = service
    seed_identity(app.state.database, secret_key=config.secret_key, base_url="http://localhost",
                  passwords=config.passwords)
    return service


@pytest.fixture
def api(app, identity):
    """A client of the app on http://localhost (the province's host) with identity ready."""
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://localhost") as client:
        yield client


@pytest.fixture
def published(db):
    from approval_fixtures import publish_all

    publish_all(db)
    return db


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_api(db, settings):
    """The platform on http://localhost:PORT (uvicorn in a thread, as tests/browser's live_server), with a fast
    password hasher, seeded clients and accounts, and the test items published. Yields (base url, identity)."""
    import threading
    import time

    import uvicorn
    from approval_fixtures import publish_all

    from tongban.platform.app import create_app
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.mailer import MemoryMailer
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    app = create_app(settings, database=db, request_logs=False)
    config = config_from_settings(settings, passwords=Passwords(fast_hasher()), mailer=MemoryMailer())
    app.state.identity = IdentityService(db, config)
    seed_identity(db, secret_key=config.secret_key, base_url="http://localhost", passwords=config.passwords)
    publish_all(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://localhost:{port}", app.state.identity
    server.should_exit = True
    thread.join(10)
