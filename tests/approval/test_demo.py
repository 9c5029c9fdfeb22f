"""`tongban seed --demo` leaves cases in every state across several tenants, with verifiable trails."""
from collections import Counter

from sqlalchemy import select

from tongban.platform.approval.events import verify_all
from tongban.platform.approval.models import Case
from tongban.platform.seed import seed
from tongban.tenants.isolation import TenantContext


def test_demo_seed_covers_every_state_and_runs_once(db):
    seed(db, demo=True)
    with db.unit_of_work(TenantContext.system("t")) as s:
        cases = list(s.scalars(select(Case)))
        checked, problems = verify_all(s)
    states = Counter(c.state for c in cases)
    assert set(states) == {"submitted", "supplement", "in_progress", "reported", "concluded", "refused", "withdrawn"}
    assert {c.result for c in cases if c.state == "concluded"} == {"approved", "rejected"}
    assert {c.tenant_id for c in cases} >= {"4601", "4602", "460105100"}
    assert any(c.tenant_id != c.received_tenant_id for c in cases)  # 全省通办 and 上报
    assert checked == len(cases) and problems == []
    registrations = [c for c in cases if c.item_code in ("HN-SCJG-001", "HN-SCJG-002")]
    assert registrations and all("示例" not in str(c.form_data.get("business_scope")) for c in registrations)
    assert all(c.form_data.get("premises_address", "").startswith("海口市") for c in registrations)
    (joint,) = [c for c in registrations if c.item_code == "HN-SCJG-001"]  # the agent's, for her enterprise
    assert joint.form_data["enterprise_name"] == "海南椰风科技有限公司" and joint.applicant["kind"] == "enterprise"
    online = [c for c in cases if c.channel == "online" and c.applicant.get("kind") == "person"]
    assert online and all(c.applicant.get("id_number") for c in online)  # notices print the applicant's ID
    with db.unit_of_work(TenantContext.system("t")) as s:
        from tongban.platform.sharing.models import License

        licenses = {row.number: row for row in s.scalars(select(License))}
    shop = next(c for c in cases if c.item_code == "HN-SCJG-002" and c.certificate_number)
    assert licenses[shop.certificate_number].holder_name == "秀英区椰香小吃店"  # the 个体工商户's own name
    from tongban.platform.portal.cases import public_results

    with db.unit_of_work(TenantContext.system("t")) as s:
        published = public_results(s, "4601")  # 结果公示: the investor's licensing decisions, not the citizen's
    assert published and all(r["applicant"] == "海南椰风****公司" for r in published)
    seed(db, demo=True)
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert len(s.scalars(select(Case)).all()) == len(cases)


def test_every_open_demo_task_has_a_demo_account_that_can_do_it(db):
    """Tried as a new user would: each case the demo leaves open can be taken on by one of the accounts the README
    lists (the 低保 reported up by 长流镇 included), not only by staff the seed made up on the spot."""
    from tongban.platform.approval.actors import Actor, RoleGrant
    from tongban.platform.approval.guards import require_staff
    from tongban.platform.approval.models import Task
    from tongban.platform.identity.grants import grants_of
    from tongban.platform.identity.models import Account

    seed(db, demo=True)
    with db.unit_of_work(TenantContext.system("t")) as s:
        staff = [Actor(a.subject, a.display_name, "staff", department=a.staff.department or None,
                       grants=tuple(RoleGrant(g.role, g.tenant_code, g.tenant_path, g.subtree)
                                    for g in grants_of(s, a.id)))
                 for a in s.scalars(select(Account).where(Account.kind == "staff"))]
        nobody = []
        for task in s.scalars(select(Task).where(Task.state == "open")):
            case = s.get(Case, task.case_id)
            permission = "accept_cases" if task.node_kind == "start" else "approve_cases"
            able = []
            for actor in staff:
                try:
                    require_staff(s, actor, case, permission, task)
                    able.append(actor.name)
                except Exception:  # noqa: BLE001 - refused: not this one
                    pass
            if not able:
                nobody.append((case.number, task.node_id, task.role, task.department))
    assert nobody == []
