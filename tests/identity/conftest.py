"""Identity fixtures: the app's identity service with a movable clock, cheap argon2 parameters and an
in-memory mailer; the seeded first-party clients and demo accounts; a browser-like client on localhost."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


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
def mailer():
    from tongban.platform.identity.mailer import MemoryMailer

    return MemoryMailer()


@pytest.fixture
def identity(app, settings, clock, mailer):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.service import IdentityService

    config = config_from_settings(settings, passwords=Passwords(fast_hasher()), mailer=mailer, clock=clock)
    service = IdentityService(app.state.database, config)
    app.state.identity = service
    return service


@pytest.fixture
def seeded(identity, db):
    from tongban.platform.identity.seed import seed_identity

    seed_identity(
        db,
        secret_key=identity.config.secret_key,
        base_url="http://localhost",
        passwords=identity.config.passwords,
    )
    return identity


@pytest.fixture
def browser(app, seeded):
    """A client on the provider's host (http://localhost, the base domain)."""
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://localhost") as client:
        yield client
