"""Workbench fixtures: published test items, the identity provider with demo staff, a browser-like client."""
import pytest
from approval_fixtures import publish_all
from starlette.testclient import TestClient
from workbench_support import FakeClock, identity_service


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture(autouse=True)
def _fresh_flow_cache():
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # SQLite hands out the previous test's item version ids again


@pytest.fixture
def items(db):
    publish_all(db)


@pytest.fixture
def identity(app, settings, clock, items):
    return identity_service(app, settings, clock)


@pytest.fixture
def web(app, identity):
    with TestClient(app, base_url="http://localhost") as client:
        yield client
