"""A small province for the API's isolation tests: a citizen's case in 长流镇 (海口), an alert on it, a license the
citizen holds, an item only 三亚 serves, department systems registered for 海口 and 三亚, and tokens for people
on each side."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from graphql_support import TOWNSHIP, account_subject, citizen_form, citizen_token, mint_token, staff_token, submit

from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext

EVERY_SCOPE = "catalog:read catalog:write cases:read cases:write licenses:read supervision:read supervision:write"
LICENSE = "GA-4601-2026-000001"
SANYA_ITEM = "SANYA-ONLY"
PURPOSE = "办件审查：核对身份证照"


@dataclass
class World:
    case_id: str
    number: str
    query_code: str
    task_id: str
    alert_id: str
    license: str
    id_number: str
    form: dict
    tokens: dict[str, str]


def build_world(api, identity, db, settings) -> World:
    submitted = submit(api, identity)["data"]["submitApplication"]
    case = submitted["case"]
    form = citizen_form(identity)
    tokens = {
        "citizen": citizen_token(identity, scope=EVERY_SCOPE),
        "other": mint_token(identity, subject="someone-else", scope=EVERY_SCOPE),
        "haikou": staff_token(identity, ("province_admin", "4601", True), subject="haikou-staff", scope=EVERY_SCOPE),
        "sanya": staff_token(identity, ("province_admin", "4602", True), subject="sanya-staff", scope=EVERY_SCOPE),
        "province": staff_token(identity, ("supervisor", "46", True), subject="province-sup", scope=EVERY_SCOPE),
    }
    for name, code in (("dept_haikou", "4601"), ("dept_sanya", "4602")):
        tokens[name] = mint_token(identity, client_id=register_department(identity, db, code), user_type=None,
                                  scope="licenses:read")
    put_citizen_license(db, settings.secret_key, form["id_number"], account_subject(identity, "citizen"))
    alert_id = put_alert(db, int(case["id"]), case["number"])
    publish_to_sanya_only(db)
    return World(case_id=case["id"], number=case["number"], query_code=submitted["queryCode"],
                 task_id=case["tasks"][0]["id"], alert_id=str(alert_id), license=LICENSE, id_number=form["id_number"],
                 form=form, tokens=tokens)


def register_department(identity, db, code: str, may_read=("resident_id_card", "base_data")) -> str:
    """A department system: an OAuth client at the provider, registered with the library for ``code``."""
    return department_with_secret(identity, db, code, may_read)[0]


def department_with_secret(identity, db, code: str, may_read=("resident_id_card", "base_data")) -> tuple[str, str]:
    from approval_fixtures import staff

    from tongban.platform.identity import clients as identity_clients
    from tongban.platform.sharing import dictionary, license_types
    from tongban.platform.sharing.clients import register_client

    with identity.unit() as session:
        client, secret = identity_clients.register_client(
            session, name=f"{code} 公安人口系统", client_type="confidential", redirect_uris=[], scope="licenses:read",
            actor="test")
        client_id = client.client_id
    with db.unit_of_work(TenantContext.system("test")) as s:
        license_types.seed_license_types(s)
        dictionary.seed_data_elements(s)
        register_client(s, client_id=client_id, name=f"{code} 公安人口系统", tenant_code=code, department="公安局",
                        may_read=list(may_read), rate_per_minute=600,
                        actor=staff("padmin", "46", "province_admin", subtree=True))
    return client_id, secret


def put_citizen_license(db, secret_key: str, id_number: str, subject: str, number: str = LICENSE) -> None:
    from tongban.platform.sharing.library import LicenseDraft, today, write

    with db.unit_of_work(TenantContext.system("test")) as s:
        write(s, LicenseDraft(number=number, type_code="resident_id_card", holder_kind="person", holder_id=id_number,
                              holder_name="王小明", issuer_tenant="4601", issuer_department="公安局",
                              valid_from=today() - timedelta(days=30), valid_until=None,
                              content={"name": "王小明", "address": "海口市秀英区长流镇长德路 8 号"},
                              holder_subject=subject, source="import"), secret_key)


def put_alert(db, case_id: int, number: str, *, tenant: str = TOWNSHIP, supervisor: str = "4601",
              state: str = "issued") -> int:
    """A yellow card as the tick raises it (the rules themselves are the supervision room's tests)."""
    from tongban.platform.supervision.models import Alert

    with db.unit_of_work(TenantContext.system("test")) as s:
        alert = Alert(tenant_id=tenant, rule_code="case_yellow", rule_version=1, severity="yellow",
                      subject_key=f"case:{case_id}:{state}:{supervisor}", case_id=case_id, case_number=number,
                      department="market_regulation", level="township", point="conclusion", supervisor_code=supervisor,
                      raised_at=utcnow(), state=state, details={"rule_zh": "超承诺时限（黄牌）", "rule_en": "Past the promised limit"})
        s.add(alert)
        s.flush()
        return alert.id


def publish_to_sanya_only(db, code: str = SANYA_ITEM) -> None:
    from catalogue_fixtures import content
    from tests_support import tenant_context

    from tongban.configurator.publishing import catalogue
    from tongban.configurator.publishing.scopes import PublishScope

    with db.unit_of_work(tenant_context(db, "46")) as s:
        body = content(code, "三亚专属事项")
        catalogue.create_item(s, owner="46", elements=body["elements"], actor="admin")
        for part in ("form", "materials", "flow"):
            catalogue.edit_draft(s, code, part, body[part], actor="admin")
        catalogue.publish(s, code, PublishScope.subtree("4602"), actor="admin")
