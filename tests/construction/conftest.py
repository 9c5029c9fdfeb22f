import pytest

from construction_support import ready


@pytest.fixture
def service(db):
    return ready(db)
