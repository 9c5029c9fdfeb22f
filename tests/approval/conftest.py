import pytest

from approval_fixtures import publish_all, service


@pytest.fixture
def engine(db, settings):
    publish_all(db)
    return service(db, settings)
