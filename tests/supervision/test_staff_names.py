"""Log readers see a staff member's name and department, not the OIDC subject; unknown subjects are left out."""
from workbench_support import FakeClock, identity_service

from tongban.platform.identity.accounts import by_username
from tongban.platform.identity.names import staff_names
from tongban.tenants.isolation import TenantContext


def test_staff_names_resolve_subjects_to_name_and_department(app, db, settings):
    identity_service(app, settings, FakeClock())
    with db.unit_of_work(TenantContext.none()) as session:
        supervisor, citizen = (by_username(session, u).subject for u in ("province.supervisor", "citizen"))
        names = staff_names(session, [supervisor, citizen, "system:supervision", ""])
    assert names[supervisor] == ("林监察", "省政务服务中心监察处")
    assert names[citizen][1] == "" and "system:supervision" not in names
