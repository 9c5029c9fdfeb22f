"""Demo cases in every state across several tenants, acted on by the demo accounts (`tongban seed --demo`)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tongban.configurator.forms import FormSchema
from tongban.configurator.forms.sample import sample_values
from tongban.configurator.publishing.models import Item, ItemVersion
from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.approval.intake import Application
from tongban.platform.approval.models import Case
from tongban.platform.approval.service import ApprovalService
from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext

_SHOP = {"business_name": "秀英区椰香小吃店", "business_scope": "小吃服务；预包装食品销售；饮料及冷饮服务",
         "premises_division": "460105100", "premises_address": "海口市秀英区长流镇长流大道 18 号一层",
         "capital": "50000.00", "employees": 3}
# realistic values where a form's text would otherwise read 示例…: the demo's cases (and the enterprise base data
# their licenses feed, which later applications prefill from) look like real ones
OVERRIDES = {"HN-MZ-002": {"bank_account": "6222021234567890123"}, "HN-SCJG-002": _SHOP,
             "HN-SCJG-001": {"business_scope": "软件开发；信息技术咨询服务；数据处理和存储支持服务",
                             "premises_division": "460105100",
                             "premises_address": "海口市秀英区长流镇创新大道 6 号 2 栋 301"}}
PATHS = {"46": "/46/", "4601": "/46/4601/", "4602": "/46/4602/", "460105100": "/46/4601/460105/460105100/"}


def seed_demo_cases(database, *, secret_key: str) -> int:
    """Ten cases, once: a second run adds nothing."""
    with database.unit_of_work(TenantContext.system("demo cases")) as session:
        if session.scalar(select(func.count()).select_from(Case)):
            return 0
        people = _people(session)
        identities = _identities(session, people)
        content = {code: _content(session, code) for code in ("HN-SCJG-001", "HN-SCJG-002", "HN-MZ-002")}
    if any(c is None for c in content.values()) or not people:
        return 0
    demo = _Demo(ApprovalService(database, secret_key=secret_key), people, content, identities)
    demo.run()
    return demo.created


def _people(session) -> dict[str, Actor]:
    from tongban.platform.identity import accounts
    from tongban.platform.identity.grants import grants_of

    found = {}
    for username in ("haikou.clerk", "haikou.approver", "sanya.clerk", "sanya.approver", "citizen", "agent"):
        account = accounts.by_username(session, username)
        if account is None:
            return {}
        grants = tuple(RoleGrant(g.role, g.tenant_code, g.tenant_path, g.subtree) for g in grants_of(session, account.id))
        if account.kind == "staff":
            found[username] = Actor(account.subject, account.display_name, "staff",
                                    department=account.staff.department or None, grants=grants)
        else:
            found[username] = Actor(account.subject, account.display_name, "applicant",
                                    contact={"email": account.email, "phone": account.phone})
    enterprise = accounts.enterprises_of(session, accounts.by_username(session, "agent").id)[0]
    found["enterprise"] = Actor(enterprise.subject, enterprise.name, "applicant", contact=found["agent"].contact)
    return found


def _identities(session, people: dict[str, Actor]) -> dict[str, dict]:
    """What an application records of each demo applicant, as the portal does: the verified resident ID, or the
    enterprise and its USCC."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.models import Person

    found = {}
    for username in ("citizen", "agent"):
        person = session.get(Person, accounts.by_username(session, username).id)
        found[people[username].subject] = {"kind": "person", "id_number": person.id_number,
                                           "resident_id": person.id_number, "id_verified": accounts.id_verified(person)}
    enterprise = accounts.enterprises_of(session, accounts.by_username(session, "agent").id)[0]
    found[people["enterprise"].subject] = {"kind": "enterprise", "uscc": enterprise.uscc}
    return found


def _content(session, code: str) -> dict | None:
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None or not item.published_version_no:
        return None
    return session.scalar(select(ItemVersion.content).where(ItemVersion.item_id == item.id,
                                                            ItemVersion.version_no == item.published_version_no))


def _staff(name: str, tenant: str, department: str | None, *roles: str) -> Actor:
    return Actor(f"staff:demo-{name}", name, "staff", department=department,
                 grants=tuple(RoleGrant(r, tenant, PATHS[tenant]) for r in roles))


class _Demo:
    def __init__(self, service: ApprovalService, people: dict, content: dict, identities: dict | None = None) -> None:
        self.service, self.people, self.content, self.identities = service, people, content, identities or {}
        self.now = utcnow()
        self.created = 0

    def ago(self, days: float):
        return self.now - timedelta(days=days)

    def submit(self, code: str, handling: str, received: str, applicant: Actor, *, by: Actor | None = None,
               days: float, channel: str = "online") -> dict:
        content = self.content[code]
        form = sample_values(FormSchema.parse(content["form"]), overrides=OVERRIDES.get(code, {}))
        files = {m["id"]: [{"id": f"demo-{m['id']}", "name": f"{m['name']}.{m['formats'][0]}", "size": 120_000}]
                 for m in content.get("materials") or [] if m.get("required", True) is True}
        who = self.identities.get(applicant.subject, {"kind": "person"})
        if who.get("uscc"):  # the enterprise's own name and code, not the sample's
            form.update({k: v for k, v in (("enterprise_name", applicant.name), ("uscc", who["uscc"])) if k in form})
        application = Application(code, form, channel, {"subject": applicant.subject, "name": applicant.name,
                                                        **applicant.contact, **who}, files=files)
        self.created += 1
        return self.service.submit(handling, received, by or applicant, application, now=self.ago(days))

    def act(self, result: dict, action: str, actor: Actor, *, days: float, **arguments) -> dict:
        task = result["opened"][0] if result.get("opened") else None
        if task is not None and "task_id" not in arguments and action not in ("supply", "withdraw", "pay", "deliver"):
            arguments["task_id"] = task["id"]
        outcome = self.service.act(result["id"], action, actor, now=self.ago(days), **arguments)
        return {**outcome, "opened": outcome["opened"] or result.get("opened", [])[1:]}

    def run(self) -> None:
        p = self.people
        clerk, approver, citizen = p["haikou.clerk"], p["haikou.approver"], p["citizen"]
        case = self.submit("HN-SCJG-002", "4601", "4601", citizen, days=25)          # concluded and delivered
        for action, actor, day in (("accept", clerk, 24), ("approve", approver, 23), ("approve", approver, 22),
                                   ("approve", approver, 21)):
            case = self.act(case, action, actor, days=day)
        self.act(case, "deliver", clerk, days=20, method="window")
        case = self.submit("HN-SCJG-002", "4601", "4601", citizen, days=14)          # overdue at review
        self.act(case, "accept", clerk, days=13)
        self.submit("HN-SCJG-002", "4601", "4601", citizen, days=1)                  # awaiting acceptance
        case = self.submit("HN-SCJG-002", "4601", "4601", citizen, days=5)           # awaiting supplements
        self.act(case, "request_supplement", clerk, days=4, comment="经营场所证明模糊",
                 missing=[{"material_id": "premises", "name": "经营场所使用证明（清晰原件扫描件）"}])
        case = self.submit("HN-SCJG-002", "4601", "4601", citizen, days=6)           # refused
        self.act(case, "refuse", clerk, days=6, reason="经营场所位于禁止经营区域，不属于本机关受理范围")
        case = self.submit("HN-SCJG-002", "4601", "4601", citizen, days=3)           # withdrawn
        self.service.act(case["id"], "withdraw", citizen, now=self.ago(2), reason="信息填写有误，重新申请")
        self._joint(p)
        self._reported(p)
        self._cross_tenant(p)

    def _joint(self, p) -> None:
        case = self.submit("HN-SCJG-001", "4601", "4601", p["enterprise"], days=3)    # parallel, half done
        case = self.act(case, "accept", p["haikou.clerk"], days=3)
        for task in case["opened"][:2]:
            handler = (p["haikou.approver"] if task["department"] == "market_regulation"
                       else _staff("部门经办人", "4601", task["department"], "handler"))
            self.service.act(case["id"], "approve", handler, task_id=task["id"], now=self.ago(2))

    def _reported(self, p) -> None:
        township = "460105100"
        case = self.submit("HN-MZ-002", township, township, p["citizen"], days=10)   # reported up to the city
        case = self.act(case, "accept", _staff("长流镇窗口", township, None, "window_clerk"), days=10)
        case = self.act(case, "approve", _staff("长流镇民政专干", township, "civil_affairs", "social_assistance_officer"),
                        days=6)
        self.act(case, "report_up", _staff("长流镇领导", township, None, "township_leader"), days=5,
                 comment="经入户调查，家庭人均收入低于本地最低生活保障标准")

    def _cross_tenant(self, p) -> None:
        case = self.submit("HN-SCJG-002", "4602", "4601", p["citizen"], by=p["haikou.clerk"], days=4,
                           channel="window")                                            # 全省通办: received at 海口
        self.act(case, "accept", p["sanya.clerk"], days=4)
        case = self.submit("HN-SCJG-002", "4602", "4602", p["citizen"], days=9)       # rejected at 三亚
        for action, actor, day, extra in (("accept", p["sanya.clerk"], 9, {}), ("approve", p["sanya.approver"], 8, {}),
                                          ("reject", p["sanya.approver"], 7, {"reason": "经营范围涉及前置许可，未取得相关许可"})):
            case = self.act(case, action, actor, days=day, **extra)
