"""Admin room fixtures: the app's identity service with a movable clock and cheap password hashing, the
seeded demo accounts and first-party clients, and a browser-like client on http://localhost."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest


class FakeClock:
    def __init__(self) -> None:
        self._now = datetime.now(UTC).replace(microsecond=0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta) -> None:
        with self._lock:
            self._now += timedelta(**delta)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def identity(app, settings, clock):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.mailer import MemoryMailer
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    config = config_from_settings(settings, passwords=Passwords(fast_hasher()), mailer=MemoryMailer(), clock=clock)
    service = IdentityService(app.state.database, config)
    app.state.identity = service
    seed_identity(app.state.database, secret_key=config.secret_key, base_url="http://localhost",
                  passwords=config.passwords)
    return service


@pytest.fixture
def browser(app, identity):
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://localhost") as client:
        yield client


@pytest.fixture
def province(browser, clock):
    """A client signed in to /admin as province.admin (province_admin at 46 and below)."""
    from admin_support import sign_in

    sign_in(browser, "province.admin", clock=clock)
    return browser
