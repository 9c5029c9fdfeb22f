import pytest
from approval_fixtures import service
from sharing_support import publish_items, register_issuer, seed


@pytest.fixture(autouse=True)
def fresh_flow_cache():
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # SQLite hands out the previous test's item version ids again


@pytest.fixture
def engine(db, settings, monkeypatch):
    """The approval engine with the library's writer in its ISSUERS hook, REG and FOOD published."""
    seed(db)
    publish_items(db)
    register_issuer(monkeypatch)
    return service(db, settings)


@pytest.fixture
def secret(settings):
    return settings.secret_key
