"""The demo catalogue: realistic, valid Hainan items covering what the portal and the approval engine show."""
from collections import Counter

from sqlalchemy import func, select
from stdnum.cn import ric
from tests_support import tenant_context, tenant_row

from tongban.configurator.demo import demo_items, seed_demo_catalogue, theme_name
from tongban.configurator.forms import validate_submission
from tongban.configurator.items.content import check_content
from tongban.configurator.publishing.effective import effective_catalogue, effective_item
from tongban.configurator.publishing.models import ItemVersion
from tongban.tenants.isolation import TenantContext

CHANGLIU, HAIKOU, PROVINCE = "460105100", "4601", "46"
ITEMS = {c["elements"]["code"]: c for c in demo_items()}
SUBJECTS = {"individual": "自然人", "enterprise": "法人"}


def by_name(fragment):
    found = [c for c in ITEMS.values() if fragment in c["elements"]["name"]]
    assert found, f"no demo item named like {fragment}"
    return found[0]


def nodes(content, kind):
    return [n for n in content["flow"]["nodes"] if n["kind"] == kind]


def test_every_demo_item_passes_the_publishing_check():
    assert len(ITEMS) >= 30 and len(ITEMS) == len(demo_items())
    for code, content in ITEMS.items():
        assert check_content(content) == [], code


def test_the_catalogue_covers_case_types_audiences_and_departments():
    elements = [c["elements"] for c in ITEMS.values()]
    assert set(Counter(e["case_type"] for e in elements)) == {"immediate", "promised", "report_up", "joint"}
    assert len({e["department"] for e in elements}) >= 8
    assert {"individual", "enterprise"} <= {a for e in elements for a in e["audience"]}
    for name in ("出生医学证明", "结婚登记", "居民身份证换领", "不动产", "建设工程规划许可证", "建筑工程施工许可证",
                 "个体工商户设立登记", "城乡居民基本养老保险参保登记", "社会保障卡申领", "医师执业注册",
                 "道路货物运输经营许可", "药品经营许可", "食品经营许可", "企业设立登记"):
        by_name(name)
    assert by_name("结婚登记")["elements"]["case_type"] == "immediate"
    for e in elements:
        if e["case_type"] == "immediate":
            assert e["promised_limit_days"] == 0
        assert e["promised_limit_days"] <= e["legal_limit_days"]


def test_enterprise_registration_runs_four_departments_in_parallel_then_issues_the_license():
    setup = by_name("企业设立登记")
    assert setup["elements"]["case_type"] == "joint"
    branches = {n["assignment"]["department"] for n in nodes(setup, "dept_task")}
    assert branches == {"market_regulation", "public_security", "taxation", "human_resources_social_security"}
    assert nodes(setup, "parallel_split") and nodes(setup, "join")[0]["join_mode"] == "all"
    assert [n["license_type"] for n in nodes(setup, "issue_certificate")] == ["business_license"]


def test_report_up_items_report_to_a_higher_level_and_are_accepted_at_townships():
    reported = [c for c in ITEMS.values() if c["elements"]["case_type"] == "report_up"]
    assert reported
    for content in reported:
        assert nodes(content, "report_up"), content["elements"]["code"]
        assert "township" in content["elements"]["levels"]


def test_materials_use_rongque_and_e_licenses():
    materials = [m for c in ITEMS.values() for m in c["materials"]]
    assert any(m.get("rongque_allowed") and m["rongque_supply_days"] > 0 for m in materials)
    licenses = {m.get("satisfied_by_license_type") for m in materials}
    assert {"business_license", "resident_id_card", "household_register"} <= licenses
    food = by_name("食品经营许可")
    assert any(m.get("satisfied_by_license_type") == "business_license" for m in food["materials"])
    assert [n["license_type"] for n in nodes(food, "issue_certificate")] == ["food_business_license"]


def test_themes_are_national_codes_for_the_items_audience():
    for content in ITEMS.values():
        e = content["elements"]
        subjects = {SUBJECTS[a] for a in e["audience"]}
        assert e["themes"] and e["life_events"], e["code"]
        for tag in e["themes"]:
            assert theme_name(tag), tag
            assert tag.split(":")[0] in subjects, (e["code"], tag)
    events = {event for c in ITEMS.values() for event in c["elements"]["life_events"]}
    assert {"开办企业", "生育", "婚姻", "就业", "退休", "建设工程"} <= events


def test_forms_prefill_the_applicant_and_use_divisions_groups_and_conditions():
    fields = [f for c in ITEMS.values() for f in c["form"]["fields"]]
    assert {"identity.name", "identity.resident_id", "identity.uscc"} <= {f.get("prefill") for f in fields}
    kinds = {f["type"] for f in fields}
    assert {"division", "group", "date", "money", "uscc", "resident_id", "multi_select"} <= kinds
    assert any("show_if" in f for f in fields) and any("required_if" in f for f in fields)


def test_the_enterprise_form_asks_a_natural_shareholder_for_an_id_number():
    schema = by_name("企业设立登记")["form"]
    holder_id = ric.calc_check_digit("46010019880612003" + "0")
    submission = {
        "enterprise_name": "海南椰风科技有限公司", "enterprise_type": "llc", "registered_capital": "100",
        "premises_division": "460105", "premises_address": "海口市秀英区长滨路 18 号", "business_scope": "软件开发",
        "legal_rep_name": "王海生", "legal_rep_id": "46010019880612003" + holder_id, "phone": "13876543210",
        "shareholders": [{"holder_kind": "natural", "holder_name": "王海生", "subscribed": "100",
                          "paid_by": "2040-12-31"}],
        "seal_count": 4, "need_invoice": False, "employees": 3, "promise": True,
    }
    result = validate_submission(schema, submission)
    assert [(e.path, e.code) for e in result.errors] == [("shareholders[0].holder_id", "required")]
    submission["shareholders"][0]["holder_id"] = submission["legal_rep_id"]
    assert validate_submission(schema, submission).ok


def served_codes(db, code):
    with db.unit_of_work(tenant_context(db, code)) as s:
        return {e.code for e in effective_catalogue(s, tenant_row(db, code))}


def test_seeding_publishes_every_item_to_the_province_and_each_level_serves_its_own(db):
    assert seed_demo_catalogue(db) == len(ITEMS)
    for tenant, level in ((CHANGLIU, "township"), (HAIKOU, "city_county"), (PROVINCE, "province")):
        expected = {code for code, c in ITEMS.items() if level in c["elements"]["levels"]}
        assert expected and served_codes(db, tenant) == expected
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        card = effective_item(s, tenant_row(db, CHANGLIU), "HN-RS-003")
    assert card.enabled and card.version_no == 1 and card.content == ITEMS["HN-RS-003"]


def test_seeding_twice_adds_nothing(db):
    seed_demo_catalogue(db)
    with db.unit_of_work(TenantContext.system("count")) as s:
        versions = s.scalar(select(func.count()).select_from(ItemVersion))
    assert seed_demo_catalogue(db) == 0
    with db.unit_of_work(TenantContext.system("count")) as s:
        assert s.scalar(select(func.count()).select_from(ItemVersion)) == versions == len(ITEMS)
