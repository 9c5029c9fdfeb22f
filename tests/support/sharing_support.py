"""Helpers for the sharing center's tests: seeded types, items that issue licenses, a concluded 多证合一 case,
licenses written straight into the library, and a department client with a token."""
from __future__ import annotations

import copy
from datetime import date, timedelta

from approval_fixtures import CLERK, HAIKOU, open_tasks, publish, staff, the_case
from catalogue_fixtures import content

from tongban.configurator.flows.examples import business_registration_flow
from tongban.platform.approval import certificates
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.intake import Application
from tongban.platform.sharing import dictionary, license_types
from tongban.platform.sharing.issuing import issue_from_case
from tongban.platform.sharing.library import LicenseDraft, today, write
from tongban.tenants.isolation import TenantContext

USCC = "91460100MA5T0YF0PN"  # 海南椰风科技有限公司 (identity's demo enterprise)
ENTERPRISE = "海南椰风科技有限公司"
PERSON_ID = "460100199001011230"
ADMIN = staff("padmin", "46", "province_admin", subtree=True)

REG_FORM = {"fields": [
    {"name": "enterprise_name", "type": "text", "label": {"zh": "企业名称", "en": "Enterprise name"}, "required": True},
    {"name": "legal_representative", "type": "text", "label": {"zh": "法定代表人", "en": "Legal representative"},
     "required": True},
    {"name": "address", "type": "text", "label": {"zh": "住所", "en": "Address"}},
    {"name": "capital", "type": "money", "label": {"zh": "注册资本", "en": "Registered capital"}},
    {"name": "business_scope", "type": "textarea", "label": {"zh": "经营范围", "en": "Business scope"}},
]}
FOOD_MATERIALS = [
    {"id": "app", "name": "食品经营许可申请书", "form": "original", "count": 1, "formats": ["pdf"], "max_size_mb": 10,
     "required": True},
    {"id": "bl", "name": "营业执照", "form": "copy", "count": 1, "formats": ["pdf", "jpg"], "max_size_mb": 5,
     "required": True, "satisfied_by_license_type": "business_license"},
]


def system(db, reason="test"):
    return db.unit_of_work(TenantContext.system(reason))


def seed(db) -> None:
    with system(db) as s:
        license_types.seed_license_types(s)
        dictionary.seed_data_elements(s)


def register_issuer(monkeypatch) -> None:
    """What the lead wires at start-up: the library's writer in the engine's ISSUERS hook list."""
    monkeypatch.setattr(certificates, "ISSUERS", [issue_from_case])


def publish_items(db) -> None:
    """REG (企业设立登记（多证合一）, issues business_license) and FOOD (食品经营许可, needs a business license)."""
    reg = content("REG", "企业设立登记（多证合一）", parallel=True, audience=["enterprise"])
    reg["form"], reg["materials"], reg["flow"] = copy.deepcopy(REG_FORM), [], business_registration_flow()
    publish(db, "REG", reg)
    food = content("FOOD", "食品经营许可", audience=["enterprise"])
    food["form"], food["materials"] = copy.deepcopy(REG_FORM), copy.deepcopy(FOOD_MATERIALS)
    publish(db, "FOOD", food)


def enterprise_actor(subject="ent-yefeng") -> Actor:
    return Actor(subject, ENTERPRISE, "applicant", contact={"phone": "13800000002", "email": "agent@example.cn"})


def enterprise_applicant(subject="ent-yefeng", uscc=USCC) -> dict:
    return {"subject": subject, "kind": "enterprise", "name": ENTERPRISE, "uscc": uscc, "phone": "13800000002",
            "email": "agent@example.cn"}


def reg_form(**extra) -> dict:
    return {"enterprise_name": ENTERPRISE, "legal_representative": "李海燕", "address": "海口市龙华区滨海大道 1 号",
            "capital": "1000000.00", "business_scope": "软件开发；信息技术咨询服务", **extra}


def conclude_registration(engine, db, *, actor=None, applicant=None, form=None) -> object:
    """Drive a 多证合一 case (REG) from submission to its business license; returns the concluded case."""
    actor = actor or enterprise_actor()
    applicant = applicant or enterprise_applicant(actor.subject)
    case = engine.submit(HAIKOU, HAIKOU, actor, Application("REG", form or reg_form(), "online", applicant))
    (accept,) = open_tasks(db, case["id"])
    engine.act(case["id"], "accept", CLERK, task_id=accept.id)
    for task in open_tasks(db, case["id"]):
        engine.act(case["id"], "approve", staff(f"h-{task.department}", HAIKOU, "registrar", department=task.department),
                   task_id=task.id)
    (license_task,) = open_tasks(db, case["id"])
    engine.act(case["id"], "approve", staff("lic", HAIKOU, "certificate_clerk", department="market_regulation"),
               task_id=license_task.id)
    return the_case(db, case["id"])


def put_license(db, secret_key, number, *, type_code="business_license", holder_id=USCC, holder_kind="enterprise",
                holder_name=ENTERPRISE, subject="ent-yefeng", valid_from=None, valid_until=None, issuer="4601",
                content_=None):
    with system(db) as s:
        row, outcome = write(s, LicenseDraft(
            number=number, type_code=type_code, holder_kind=holder_kind, holder_id=holder_id, holder_name=holder_name,
            issuer_tenant=issuer, issuer_department="市场监督管理局", valid_from=valid_from or today() - timedelta(days=30),
            valid_until=valid_until, content=content_ or {"name": holder_name, "legal_representative": "李海燕"},
            holder_subject=subject, source="import"), secret_key)
        return row.number, outcome


def yesterday() -> date:
    return today() - timedelta(days=1)


def department_client(app, db, monkeypatch, *, may_issue=("business_license", "food_business_license"),
                      may_read=("business_license",), tenant="4601"):
    """A confidential OAuth client registered with identity (scope licenses:write) and with the library;
    returns (client id, access token)."""
    from starlette.testclient import TestClient

    from tongban.platform.identity import clients as identity_clients
    from tongban.platform.identity.web import identity_for
    from tongban.platform.sharing.clients import register_client

    for scope in ("licenses:write", "licenses:read"):  # until identity lists the library's scopes
        monkeypatch.setitem(identity_clients.SCOPES, scope, ("电子证照", "E-licenses"))
    service = identity_for(app)
    with service.unit() as session:
        client, secret = identity_clients.register_client(
            session, name="市场监管登记系统", client_type="confidential", redirect_uris=[],
            scope="licenses:write licenses:read", actor="test")
        client_id = client.client_id
    with system(db) as s:
        register_client(s, client_id=client_id, name="海口市市场监管登记系统", tenant_code=tenant, department="市场监督管理局",
                        may_issue=list(may_issue), may_read=list(may_read), actor=ADMIN)
    with TestClient(app, base_url="http://localhost") as http:
        answer = http.post("/oidc/token", data={"grant_type": "client_credentials", "scope": "licenses:write"},
                           auth=(client_id, secret))
    assert answer.status_code == 200, answer.text
    return client_id, answer.json()["access_token"]


# --- signing in to the portal (the wallet) -------------------------------------------------------------------
def seed_identity_fast(app, db, settings, base_url="http://localhost"):
    """The demo accounts with a cheap password hasher; returns the demo enterprise's subject."""
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import demo_enterprise, seed_identity
    from tongban.platform.identity.service import IdentityService

    passwords = Passwords(fast_hasher())
    service = IdentityService(db, config_from_settings(settings, passwords=passwords))
    app.state.identity = service
    seed_identity(db, secret_key=settings.secret_key, base_url=base_url, passwords=passwords)
    with service.unit() as session:
        return demo_enterprise(session).subject


def sign_in_for_enterprise(http, enterprise_sub, next_url="/wallet", username="agent"):
    """The agent signs in at the provider through the portal's relying party, acting for the enterprise."""
    import re

    page = http.get(f"/auth/switch?acting={enterprise_sub}&next={next_url}")
    assert "/login" in str(page.url), page.url
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    landing = http.post(str(page.url), data={"csrf_token": token, "username": username, "password": "Tongban@2026"})
    assert landing.status_code == 200, landing.text[:300]
    return landing
