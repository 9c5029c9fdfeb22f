"""Published items with each kind of flow, and the people who act on their cases."""
from datetime import datetime, timezone

from sqlalchemy import select

from catalogue_fixtures import content
from tests_support import tenant_context
from tongban.configurator.flows.examples import immediate_flow, report_up_flow
from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.approval.intake import Application
from tongban.platform.approval.models import Case, CaseEvent, Task
from tongban.platform.approval.service import ApprovalService
from tongban.tenants.isolation import TenantContext

PATHS = {"46": "/46/", "4601": "/46/4601/", "4602": "/46/4602/", "460105": "/46/4601/460105/",
         "460105100": "/46/4601/460105/460105100/", "460106": "/46/4601/460106/"}


def publish(db, code, body):
    with db.unit_of_work(tenant_context(db, "46")) as s:
        catalogue.create_item(s, owner="46", elements=body["elements"], actor="admin")
        for part in ("form", "materials", "flow"):
            catalogue.edit_draft(s, code, part, body[part], actor="admin")
        catalogue.publish(s, code, PublishScope.subtree("46"), actor="admin")


def publish_all(db):
    publish(db, "PROMISED", content("PROMISED", "个体工商户设立登记"))
    publish(db, "JOINT", content("JOINT", "企业设立登记（多证合一）", parallel=True, audience=["enterprise"]))
    immediate = content("NOW", "结婚登记", case_type="immediate", promised_limit_days=0)
    immediate["flow"] = immediate_flow()
    immediate["materials"] = []
    publish(db, "NOW", immediate)
    reported = content("REPORT", "最低生活保障审批", case_type="report_up", promised_limit_days=22, legal_limit_days=30)
    reported["flow"] = report_up_flow()
    reported["materials"] = []
    publish(db, "REPORT", reported)


def staff(name, tenant, *roles, department=None, subtree=False):
    grants = tuple(RoleGrant(role, tenant, PATHS[tenant], subtree) for role in roles)
    return Actor(f"staff:{name}", name, "staff", department=department, grants=grants)


def citizen(name="张三", subject="person:1", phone="13800138000", email="zhangsan@example.com"):
    return Actor(subject, name, "applicant", contact={"phone": phone, "email": email})


VALID_ID = "460100199001011230"


def application(item="PROMISED", channel="online", applicant=None, **form):
    applicant = applicant or citizen()
    data = {"applicant_name": applicant.name, "id_number": VALID_ID, **form}
    return Application(item_code=item, form_data=data, channel=channel,
                       applicant={"subject": applicant.subject, "kind": "person", "name": applicant.name,
                                  "id_number": VALID_ID, "phone": applicant.contact.get("phone"),
                                  "email": applicant.contact.get("email")},
                       files={"m1": [{"id": "u1", "name": "申请书.pdf", "size": 2048, "content_type": "application/pdf"}],
                              "m2": [{"id": "u2", "name": "营业执照.pdf", "size": 4096, "content_type": "application/pdf"}]})


def service(db, settings):
    return ApprovalService(db, secret_key=settings.secret_key)


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour - 8 if hour >= 8 else hour, tzinfo=timezone.utc)




HAIKOU = "4601"
CLERK = staff("clerk", HAIKOU, "window_clerk")
REVIEWER = staff("reviewer", HAIKOU, "reviewer")
APPROVER = staff("approver", HAIKOU, "approver")
CERT = staff("cert", HAIKOU, "certificate_clerk")


def open_tasks(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return list(s.scalars(select(Task).where(Task.case_id == case_id, Task.state == "open").order_by(Task.id)))


def the_case(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.get(Case, case_id)


def case_events(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return [e.action for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq))]


def step(engine, db, case_id, action, actor, **kw):
    (task,) = open_tasks(db, case_id)
    return engine.act(case_id, action, actor, task_id=task.id, **kw)


