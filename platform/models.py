"""Every mapped model, imported so that the metadata (and alembic's autogenerate) sees them all."""
from tongban.configurator.publishing import models as _catalogue_models  # noqa: F401
from tongban.platform.approval import models as _approval_models  # noqa: F401
from tongban.platform.calendar import store as _calendar_store  # noqa: F401
from tongban.platform.audit import ConfigChange  # noqa: F401
from tongban.platform.content.notices import Notice  # noqa: F401
from tongban.platform.db import Base
from tongban.platform.jobs import JobRun  # noqa: F401
from tongban.platform.notify.outbox import OutboxMessage  # noqa: F401
from tongban.platform.files import models as _files_models  # noqa: F401
from tongban.platform.portal import models as _portal_models  # noqa: F401
from tongban.platform.sharing import data_models as _sharing_data_models, models as _sharing_models  # noqa: F401
from tongban.platform.supervision import models as _supervision_models  # noqa: F401
from tongban.platform.supervision.ratings import models as _rating_models  # noqa: F401
from tongban.platform.supervision.vertical import models as _vertical_models  # noqa: F401
from tongban.tenants.access import SubtreeAccess  # noqa: F401
from tongban.tenants.models import DirectoryVersion, Tenant, TenantHost  # noqa: F401

metadata = Base.metadata


def tenant_owned_tables() -> list[str]:
    from tongban.tenants.isolation import TenantOwned

    return sorted(m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, TenantOwned))


def tenant_inherited_tables() -> list[str]:
    from tongban.tenants.isolation import TenantInherited

    return sorted(m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, TenantInherited))


from tongban.platform.identity import models as _identity_models  # noqa: F401
from tongban.platform.construction import models as _construction_models  # noqa: F401
