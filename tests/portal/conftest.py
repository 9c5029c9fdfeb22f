"""Portal fixtures: identity with cheap password hashing and the demo accounts, published test items, and a
client on 海口市's host name (http://haikou.localhost)."""
import pytest

from tongban.platform.files import models as _files_models  # noqa: F401  (tables cleaned between tests)
from tongban.platform.portal import models as _portal_models  # noqa: F401


@pytest.fixture
def identity(app, settings):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.service import IdentityService

    service = IdentityService(app.state.database, config_from_settings(settings, passwords=Passwords(fast_hasher())))
    app.state.identity = service
    return service


@pytest.fixture
def seeded(identity, db):
    from tongban.platform.identity.seed import seed_identity

    seed_identity(db, secret_key=identity.config.secret_key, base_url="http://localhost",
                  passwords=identity.config.passwords)
    return identity


@pytest.fixture
def published(db):
    from portal_support import publish_items

    publish_items(db)


@pytest.fixture
def web(app):
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://haikou.localhost") as client:
        yield client


@pytest.fixture(autouse=True)
def fresh_version_cache():
    """The approval engine caches parsed versions by id for the worker's life; ids restart in each test's
    emptied SQLite database, so a test must not see the previous test's version 1."""
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()


@pytest.fixture
def me(web, db, seeded, published):
    """The demo citizen (王小明), signed in on ``web``, as the approval engine's applicant."""
    from portal_support import sign_in
    from sqlalchemy import select

    from tongban.platform.approval.actors import Actor
    from tongban.platform.identity.models import Account
    from tongban.tenants.isolation import TenantContext

    sign_in(web, next_path="/cases")
    with db.unit_of_work(TenantContext.none()) as s:
        account = s.scalar(select(Account).where(Account.username == "citizen"))
        return Actor(account.subject, "王小明", "applicant")
