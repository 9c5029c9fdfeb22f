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


@pytest.fixture
def live_api(db, settings):
    """The platform on http://localhost:PORT (uvicorn in a thread, as tests/browser's live_server), with a fast
    password hasher, seeded clients and accounts, and the test items published. Yields (base url, identity)."""
    from approval_fixtures import publish_all
    from tests_support import serving

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
    with serving(app) as port:
        yield f"http://localhost:{port}", app.state.identity
