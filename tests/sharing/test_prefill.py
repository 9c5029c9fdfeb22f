"""Prefill from shared base data and, within a function group, from the applicant's earlier applications;
each prefilled field says where its value came from."""
from approval_fixtures import HAIKOU
from sharing_support import (
    ADMIN,
    REG_FORM,
    USCC,
    conclude_registration,
    enterprise_actor,
    enterprise_applicant,
    reg_form,
    seed,
    system,
)

from tongban.platform.approval.intake import Application
from tongban.platform.sharing import basedata
from tongban.platform.sharing.chains import define_group
from tongban.platform.sharing.dictionary import prefill_for
from tongban.platform.sharing.service import SharingService

FORM = {"fields": [*REG_FORM["fields"], {"name": "premises", "type": "text", "label": {"zh": "经营场所", "en": "Premises"}},
                   {"name": "project_code", "type": "text", "label": {"zh": "项目代码", "en": "Project code"}}]}


def test_prefill_from_base_data_shows_its_source(db):
    seed(db)
    with system(db) as s:
        basedata.upsert_enterprise(s, USCC, source="import:market", subject="ent-yefeng", name="海南椰风科技有限公司",
                                   legal_representative="李海燕", address="海口市龙华区滨海大道 1 号",
                                   registered_capital="1000000.00")
        basedata.upsert_project(s, "2026-460100-65-01-000001", source="import:ndrc", name="椰风研发中心",
                                investor_id=USCC, investor_name="海南椰风科技有限公司", location="海口市",
                                investment_wan_yuan="8000", stage="立项")
        filled = prefill_for(s, "ent-yefeng", FORM)
    assert filled["enterprise_name"] == {"value": "海南椰风科技有限公司", "source": "base.enterprise", "ref": USCC,
                                         "source_zh": f"企业基础信息库（{USCC}）",
                                         "source_en": f"enterprise base data ({USCC})"}
    assert filled["legal_representative"]["value"] == "李海燕" and filled["capital"]["value"] == "1000000.00"
    assert filled["project_code"] == {"value": "2026-460100-65-01-000001", "source": "base.project",
                                      "ref": "2026-460100-65-01-000001",
                                      "source_zh": "工程建设项目库（2026-460100-65-01-000001）",
                                      "source_en": "construction project data (2026-460100-65-01-000001)"}
    assert "premises" not in filled  # no shared element carries it
    assert _prefill_for_nobody(db) == {}


def _prefill_for_nobody(db):
    with system(db) as s:
        return prefill_for(s, "person:unknown", FORM)


def test_prefill_from_an_earlier_application_in_the_same_function_group(engine, db):
    with system(db) as s:
        define_group(s, "market_entry", name_zh="市场准入", name_en="Market entry", item_codes=["REG", "FOOD"],
                     element_codes=["enterprise.business_scope", "enterprise.address"], actor=ADMIN)
    created = engine.submit(HAIKOU, HAIKOU, enterprise_actor("ent-new"),
                            Application("REG", reg_form(business_scope="预包装食品销售"), "online",
                                        enterprise_applicant("ent-new", uscc="")))
    service = SharingService(db, secret_key="unused")
    filled = service.prefill("ent-new", FORM, item_code="FOOD")
    assert filled["business_scope"]["value"] == "预包装食品销售" and filled["business_scope"]["source"] == "case"
    assert filled["business_scope"]["ref"] == created["number"] and "上次申请" in filled["business_scope"]["source_zh"]
    assert "enterprise_name" not in filled, "only the group's shared elements come from earlier applications"
    assert service.prefill("ent-new", FORM, item_code="OTHER") == {}


def test_base_data_from_a_registration_prefills_the_next_item(engine, db):
    conclude_registration(engine, db)
    filled = SharingService(db, secret_key="unused").prefill("ent-yefeng", FORM, item_code="FOOD")
    assert filled["enterprise_name"]["source"] == "base.enterprise" and filled["enterprise_name"]["ref"] == USCC
    assert filled["legal_representative"]["value"] == "李海燕" and filled["address"]["source"] == "base.enterprise"
