"""Item chains: province admins relate items (前置/后置) and group them; cycles are refused on save; applying
for a later item names the path when something is missing, and passes once it is there; staff see the chain
and a diagram."""
import pytest
from approval_fixtures import citizen, publish, staff
from catalogue_fixtures import content
from sharing_support import ADMIN, conclude_registration, enterprise_applicant, system

from tongban.platform.sharing.chains import check_chain, define_group, prerequisites, relate, unrelate
from tongban.platform.sharing.errors import Forbidden, Invalid
from tongban.platform.sharing.service import SharingService

SUBJECT = "ent-yefeng"


def _chain(db):
    """REG (business license) → FOOD; a third item OUTDOOR (户外广告设置) needs a concluded FOOD case."""
    publish(db, "OUTDOOR", content("OUTDOOR", "户外广告设施设置审批", audience=["enterprise"]))
    with system(db) as s:
        relate(s, "REG", "FOOD", requirement="license", license_type="business_license", actor=ADMIN,
               note="食品经营许可须先取得营业执照")
        relate(s, "FOOD", "OUTDOOR", requirement="case", actor=ADMIN)
        define_group(s, "market_entry", name_zh="市场准入", name_en="Market entry", item_codes=["REG", "FOOD"],
                     element_codes=["enterprise.name", "enterprise.legal_representative"], actor=ADMIN)


def test_a_missing_prerequisite_returns_the_path(engine, db):
    _chain(db)
    with system(db) as s:
        food = check_chain(s, SUBJECT, "FOOD")
        outdoor = check_chain(s, SUBJECT, "OUTDOOR")
    assert not food.ok and [m.item_code for m in food.missing] == ["REG"]
    assert food.errors() == [{"path": "item", "code": "chain_missing", "zh": "请先申请“企业设立登记（多证合一）”并取得营业执照",
                              "en": "first apply for REG (企业设立登记（多证合一）) and obtain the business_license"}]
    assert [s.item_code for s in outdoor.path] == ["REG", "FOOD"]  # deepest first: REG, then FOOD
    assert outdoor.errors()[1]["zh"] == "请先申请“食品经营许可”并办结"


def test_the_chain_passes_once_the_license_and_case_exist(engine, db):
    _chain(db)
    case = conclude_registration(engine, db)
    service = SharingService(db, secret_key="unused-for-reads")
    food = service.check_chain(SUBJECT, "FOOD")
    assert food.ok and food.satisfied[0].satisfied_by == case.certificate_number
    outdoor = service.check_chain(SUBJECT, "OUTDOOR")
    assert [s.item_code for s in outdoor.path] == ["FOOD"]  # REG is done; FOOD still needs a concluded case
    by_id = service.check_chain("someone-else", "FOOD", holder_ids=(enterprise_applicant()["uscc"],))
    assert by_id.ok, "a holder identified by USCC counts as well as by account"


def test_cycles_and_bad_relations_are_refused_whole(engine, db):
    _chain(db)
    publish(db, "OUTDOOR2", content("OUTDOOR2", "户外广告变更", audience=["enterprise"]))
    with system(db) as s, pytest.raises(Invalid) as cycle:
        relate(s, "OUTDOOR", "REG", requirement="case", actor=ADMIN)
    assert cycle.value.errors[0]["code"] == "cycle" and cycle.value.errors[0]["path"] == "before_item"
    with system(db) as s, pytest.raises(Invalid) as bad:
        relate(s, "NOPE", "FOOD", requirement="license", license_type="no_such_type", actor=ADMIN)
    assert {(e["path"], e["code"]) for e in bad.value.errors} == {("before_item", "unknown_item"),
                                                                 ("license_type", "unknown_type")}
    with system(db) as s, pytest.raises(Invalid):
        relate(s, "FOOD", "FOOD", requirement="case", actor=ADMIN)
    with system(db) as s:
        assert [r.before_item for r in prerequisites(s, "REG")] == []  # nothing was saved
        unrelate(s, "FOOD", "OUTDOOR", actor=ADMIN)
        relate(s, "OUTDOOR", "OUTDOOR2", requirement="case", actor=ADMIN)  # no longer a cycle
    with system(db) as s, pytest.raises(Forbidden):
        relate(s, "REG", "OUTDOOR2", requirement="case", actor=staff("haikou.admin", "4601", "tenant_admin"))
    with system(db) as s, pytest.raises(Forbidden):
        define_group(s, "g", name_zh="g", name_en="g", item_codes=[], element_codes=[], actor=citizen())


def test_staff_see_the_chain_and_the_diagram(engine, db, client):
    _chain(db)
    page = client.get("/sharing/chains/FOOD")
    assert page.status_code == 200 and "企业设立登记（多证合一）（REG）：须取得营业执照 / Business license" in page.text
    assert "<svg" in page.text and "市场准入" in page.text
    overview = client.get("/sharing/chains")
    assert overview.text.count('<rect x=') >= 3 and "户外广告设施设置审批" in overview.text
    svg = client.get("/sharing/chains.svg?item=OUTDOOR")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "营业执照" in svg.text and "办结" in svg.text
