"""Publishing, enable/disable, pinning and local overrides: the effective item each tenant serves."""
import pytest
from sqlalchemy import event, select

from catalogue_fixtures import content
from tests_support import tenant_context, tenant_row
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.effective import effective_catalogue, effective_item, tenant_matrix
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform.audit import history
from tongban.tenants.access import open_subtree
from tongban.tenants.isolation import TenantViolation

PROVINCE, HAIKOU, XIUYING, CHANGLIU, SANYA = "46", "4601", "460105", "460105100", "4602"
ADMIN = "account:province-admin"


def author(db, code="T-0001", name="个体工商户设立登记", publish_to=PublishScope.subtree(PROVINCE), **kw):
    body = content(code, name, **kw)
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.create_item(s, owner=PROVINCE, elements=body["elements"], actor=ADMIN)
        for part in ("form", "materials", "flow"):
            catalogue.edit_draft(s, code, part, body[part], actor=ADMIN)
        if publish_to:
            catalogue.publish(s, code, publish_to, actor=ADMIN)
    return body


def served(db, tenant_code, item_code="T-0001"):
    with db.unit_of_work(tenant_context(db, tenant_code)) as s:
        return effective_item(s, tenant_row(db, tenant_code), item_code)


def catalogue_codes(db, tenant_code):
    with db.unit_of_work(tenant_context(db, tenant_code)) as s:
        return [e.code for e in effective_catalogue(s, tenant_row(db, tenant_code))]


def test_published_to_the_province_every_tenant_serves_it(db):
    author(db)
    for code in (PROVINCE, HAIKOU, CHANGLIU, SANYA):
        item = served(db, code)
        assert item.enabled and item.version_no == 1
        assert item.content["elements"]["name"] == "个体工商户设立登记"
    assert catalogue_codes(db, CHANGLIU) == ["T-0001"]


def test_an_incomplete_draft_cannot_be_published_and_says_where(db):
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.create_item(s, owner=PROVINCE, elements={"code": "T-0002", "name": "半成品"}, actor=ADMIN)
    with pytest.raises(ContentInvalid) as raised:
        with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
            catalogue.publish(s, "T-0002", PublishScope.subtree(PROVINCE), actor=ADMIN)
    paths = {p.path for p in raised.value.problems}
    assert {"elements.kind", "elements.department", "flow"} <= paths
    assert all(p.zh and p.en for p in raised.value.problems)
    assert served(db, HAIKOU, "T-0002") is None


def test_disabling_for_a_citys_subtree_leaves_the_rest(db):
    author(db)
    with db.unit_of_work(tenant_context(db, HAIKOU)) as s:
        local.set_enabled(s, HAIKOU, ["T-0001"], False, actor="account:haikou-admin")
    assert not served(db, HAIKOU).enabled
    assert not served(db, CHANGLIU).enabled and served(db, CHANGLIU).decided_by == HAIKOU
    assert served(db, SANYA).enabled
    assert catalogue_codes(db, CHANGLIU) == [] and catalogue_codes(db, SANYA) == ["T-0001"]
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:  # the nearest decision wins
        local.set_enabled(s, CHANGLIU, ["T-0001"], True, actor="account:changliu-admin")
    assert served(db, CHANGLIU).enabled and not served(db, XIUYING).enabled


def test_a_township_overrides_its_address_and_only_allowed_fields(db):
    author(db)
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        local.set_overrides(s, CHANGLIU, "T-0001", {"location": "长流镇便民服务中心 1 号窗口", "fees": {"f1": "5.00"}},
                            actor="account:changliu-admin")
    mine, city = served(db, CHANGLIU), served(db, HAIKOU)
    assert mine.content["elements"]["location"] == "长流镇便民服务中心 1 号窗口"
    assert mine.sources["elements.location"] == CHANGLIU
    assert mine.content["elements"]["fees"][0]["amount"] == "5.00"
    assert city.content["elements"]["location"] == "海南省政务服务中心"
    with pytest.raises(ContentInvalid) as raised:
        with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
            local.set_overrides(s, CHANGLIU, "T-0001", {"name": "改名", "fees": {"f2": "1.00"}}, actor="x")
    codes = {(p.path, p.code) for p in raised.value.problems}
    assert codes == {("overrides.name", "not_overridable"), ("overrides.fees.f2", "fee_not_local")}
    assert served(db, CHANGLIU).content["elements"]["name"] == "个体工商户设立登记"


def test_overrides_layer_root_first_nearest_last(db):
    author(db)
    with db.unit_of_work(tenant_context(db, HAIKOU)) as s:
        local.set_overrides(s, HAIKOU, "T-0001", {"location": "海口市民游客中心", "hours": "周一至周六"}, actor="c")
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        local.set_overrides(s, CHANGLIU, "T-0001", {"location": "长流镇便民服务中心"}, actor="t")
    mine = served(db, CHANGLIU)
    assert mine.content["elements"]["location"] == "长流镇便民服务中心"
    assert mine.content["elements"]["hours"] == "周一至周六" and mine.sources["elements.hours"] == HAIKOU
    assert served(db, XIUYING).content["elements"]["location"] == "海口市民游客中心"


def test_a_tenant_admin_cannot_change_the_standard(db):
    author(db)
    with pytest.raises(TenantViolation):
        with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
            catalogue.edit_draft(s, "T-0001", "elements", {"code": "T-0001", "name": "篡改"}, actor="t")
    assert served(db, CHANGLIU).content["elements"]["name"] == "个体工商户设立登记"


def test_new_version_reaches_followers_but_not_pinned_tenants(db):
    author(db)
    with db.unit_of_work(tenant_context(db, SANYA)) as s:
        local.pin(s, SANYA, "T-0001", 1, actor="sanya-admin")
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "elements", content("T-0001", "个体工商户设立登记（2027版）")["elements"], actor=ADMIN)
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor=ADMIN)
    assert served(db, HAIKOU).version_no == 2
    assert served(db, HAIKOU).content["elements"]["name"].endswith("（2027版）")
    assert served(db, SANYA).version_no == 1
    assert served(db, "460202").version_no == 1  # 海棠区 follows its city's pin
    with db.unit_of_work(tenant_context(db, SANYA)) as s:
        local.pin(s, SANYA, "T-0001", None, actor="sanya-admin")
    assert served(db, SANYA).version_no == 2


def test_a_pilot_version_for_one_city_then_the_whole_province(db):
    author(db)
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "elements", content("T-0001", "试点版")["elements"], actor=ADMIN)
        catalogue.publish(s, "T-0001", PublishScope.subtree(HAIKOU), actor=ADMIN)
    assert served(db, CHANGLIU).version_no == 2 and served(db, SANYA).version_no == 1
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor=ADMIN, version_no=2)
    assert served(db, SANYA).version_no == 2


def test_published_to_selected_tenants_only(db):
    author(db, publish_to=PublishScope.selected(CHANGLIU, SANYA))
    assert served(db, CHANGLIU).enabled and served(db, SANYA).enabled
    assert served(db, HAIKOU) is None and served(db, XIUYING) is None


def test_a_published_version_is_immutable(db):
    author(db)
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "elements", content("T-0001", "第二版")["elements"], actor=ADMIN)
        item = catalogue.get_item(s, "T-0001")
        assert catalogue.version(s, item, 1).content["elements"]["name"] == "个体工商户设立登记"
        assert catalogue.current_draft(s, item).version_no == 2


def test_stale_draft_edit_is_a_conflict(db):
    author(db)
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        draft = catalogue.start_draft(s, "T-0001", actor=ADMIN)
        revision = draft.revision
        catalogue.edit_draft(s, "T-0001", "materials", content()["materials"][:1], actor=ADMIN, expected_revision=revision)
    with pytest.raises(catalogue.CatalogueError) as raised:
        with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
            catalogue.edit_draft(s, "T-0001", "materials", [], actor=ADMIN, expected_revision=revision)
    assert raised.value.code == "conflict"


def test_every_change_is_audited_with_its_diff(db):
    author(db)
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        changes = history(s, "item", "T-0001")
    actions = [c.action for c in changes]
    assert actions[0] == "create" and actions[-1] == "publish" and actions.count("edit_draft") == 3
    assert all(c.actor == ADMIN for c in changes)
    flow_edit = [c for c in changes if c.action == "edit_draft" and any(k.startswith("flow") for k in c.diff)]
    assert flow_edit, "the flow edit records what changed"


def test_matrix_shows_state_version_and_broken_overrides(db):
    author(db)
    _staff_of_department(db, "长流镇综治办")  # a township office of its own: known because staff carry it
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        local.set_overrides(s, CHANGLIU, "T-0001", {"assignees": {"review": {"department": "长流镇综治办"}}}, actor="t")
    # version 2 removes the review node the township's assignee points at
    from tongban.configurator.flows.examples import immediate_flow
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "elements", content("T-0001", case_type="immediate", promised_limit_days=0)["elements"], actor=ADMIN)
        catalogue.edit_draft(s, "T-0001", "flow", immediate_flow(), actor=ADMIN)
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor=ADMIN)
    with open_subtree(db, tenant_row(db, HAIKOU), actor="province-admin", reason="事项矩阵") as s:
        rows = {r.code: r for r in tenant_matrix(s, "T-0001", HAIKOU)}
    assert HAIKOU in rows and CHANGLIU in rows and SANYA not in rows
    assert rows[CHANGLIU].version_no == 2 and rows[CHANGLIU].enabled
    assert [p["code"] for p in rows[CHANGLIU].override_problems] == ["unknown_node"]
    assert rows[XIUYING].override_problems == []


def test_a_flow_step_that_would_go_to_nobody_is_not_published(db):
    """A department code nobody carries (a typo: ``fire``) or a role that handles no cases: refused at publishing
    on the step's own field, nothing published."""
    body = author(db, publish_to=None)
    flow = body["flow"]
    review = next(i for i, n in enumerate(flow["nodes"]) if n["id"] == "review")
    flow["nodes"][review]["assignment"] = {"role": "reviewr", "department": "fire"}
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "flow", flow, actor=ADMIN)
    with pytest.raises(ContentInvalid) as raised:
        with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
            catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor=ADMIN)
    found = {(p.path, p.code): (p.zh, p.en) for p in raised.value.problems}
    assert set(found) == {(f"flow.nodes[{review}].assignment.department", "unknown_department"),
                          (f"flow.nodes[{review}].assignment.role", "unknown_role")}
    assert all(zh and en for zh, en in found.values())
    assert served(db, CHANGLIU) is None


def test_a_step_is_not_assigned_to_the_province_administrator():
    """The province administrator may step in on any task, but a step assigned to that role would wait for an
    administrator: it is not among the roles offered, and typing it is refused like a typo."""
    from tongban.configurator.items.assignees import assignment_problems, choices

    offered = {code for code, _ in choices()[1]}
    assert "approver" in offered and "window_clerk" in offered and "province_admin" not in offered
    (problem,) = assignment_problems("flow.nodes[1].assignment", {"role": "province_admin"})
    assert (problem.path, problem.code) == ("flow.nodes[1].assignment.role", "unknown_role")
    assert assignment_problems("flow.nodes[1].assignment", {"role": "approver"}) == []


def _staff_of_department(db, department: str) -> None:
    from tongban.platform.identity import accounts
    from tongban.platform.identity.passwords import Passwords
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.none()) as s:
        accounts.register_staff(s, Passwords(), username="zongzhi.staff", password="Coconut#2027", name="综治办干部",
                              home_tenant_code=CHANGLIU, department=department)


def test_publishing_to_the_whole_province_costs_the_same_statements_as_to_one_tenant(db):
    author(db, "T-0001", publish_to=None)
    author(db, "T-0002", publish_to=None)
    counts = []
    for code, scope in (("T-0001", PublishScope.selected(CHANGLIU)), ("T-0002", PublishScope.subtree(PROVINCE))):
        statements = []
        listener = lambda *a: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
                catalogue.publish(s, code, scope, actor=ADMIN)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 12, counts
    assert served(db, SANYA, "T-0002").enabled and served(db, SANYA, "T-0001") is None


def test_the_catalogue_cache_recomputes_after_every_kind_of_change(db):
    from tongban.configurator.publishing.cache import CatalogueCache

    cache = CatalogueCache()
    changliu = tenant_row(db, CHANGLIU)

    def listed():
        with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
            return [(e.code, e.version_no) for e in cache.catalogue(s, changliu)]

    assert listed() == []
    author(db)
    assert listed() == [("T-0001", 1)]
    with db.unit_of_work(tenant_context(db, HAIKOU)) as s:
        local.set_enabled(s, HAIKOU, ["T-0001"], False, actor="c")
    assert listed() == []
    with db.unit_of_work(tenant_context(db, HAIKOU)) as s:
        local.set_enabled(s, HAIKOU, ["T-0001"], None, actor="c")
    assert listed() == [("T-0001", 1)]
    with db.unit_of_work(tenant_context(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "elements", content("T-0001", "第二版")["elements"], actor=ADMIN)
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor=ADMIN)
    assert listed() == [("T-0001", 2)]
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        local.pin(s, CHANGLIU, "T-0001", 1, actor="t")
    assert listed() == [("T-0001", 1)]


def test_items_not_handled_at_a_level_are_not_in_its_catalogue(db):
    author(db, "T-0003", "城市级事项", levels=["province", "city_county"])
    assert catalogue_codes(db, HAIKOU) == ["T-0003"]
    assert catalogue_codes(db, CHANGLIU) == []
