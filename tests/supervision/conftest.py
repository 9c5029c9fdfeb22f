import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tongban.platform.supervision import models as _supervision_models  # noqa: F401  (until platform/models.py imports them)
from tongban.platform.supervision.ratings import models as _rating_models  # noqa: F401
from tongban.platform.supervision.vertical import models as _vertical_models  # noqa: F401


@pytest.fixture
def engine(db, settings):
    from approval_fixtures import publish_all, service

    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # SQLite hands out the ids of the previous test's item versions again
    publish_all(db)
    return service(db, settings)


@pytest.fixture
def supervision(db):
    from tongban.platform.supervision.service import SupervisionService

    return SupervisionService(db)


@pytest.fixture
def contacts():
    """A directory of department and supervisor mailboxes (the identity room registers the real one)."""
    from tongban.platform.approval.notices import HANDLER_RESOLVERS

    def resolve(_session, tenant, role, department):
        name = role or department or "staff"
        return [{"email": f"{name}@{tenant}.gov.test"}]

    HANDLER_RESOLVERS.append(resolve)
    yield resolve
    HANDLER_RESOLVERS.remove(resolve)
