"""Shared test helpers importable from any test module (tests/support is put on sys.path by conftest)."""
import os

import pytest

ON_POSTGRES = bool(os.environ.get("TONGBAN_TEST_POSTGRES_URL"))
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs TONGBAN_TEST_POSTGRES_URL (CI's PostgreSQL pass)")


def tenant_context(db, code):
    """The TenantContext of ``code`` (with its path), as a request for that tenant would have."""
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        return TenantContext.of(s.get(Tenant, code))


def tenant_row(db, code):
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        return s.get(Tenant, code)
