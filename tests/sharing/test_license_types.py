"""License types are configured by province admins (fields and certificate template); bad definitions are
refused field by field; a suspended license reads as suspended until it is reinstated."""
import pytest
from approval_fixtures import staff
from sharing_support import ADMIN, put_license, seed, system

from tongban.platform.sharing.errors import Forbidden, Invalid
from tongban.platform.sharing.library import change_status
from tongban.platform.sharing.license_types import all_types, define_type, get_type

PHARMACY = {"code": "pharmacist_license", "name_zh": "执业药师注册证", "name_en": "Pharmacist registration",
            "holder_kind": "person", "department": "药品监督管理局", "validity_years": 5,
            "fields": [{"name": "name", "zh": "姓名", "en": "Name", "required": True, "source": "applicant.name"},
                       {"name": "employer", "zh": "执业单位", "en": "Employer",
                        "source": "form.employer|form.employer_name"}],
            "template": {"title_zh": "执业药师注册证", "title_en": "Pharmacist Registration", "accent": "#0d47a1"}}


def test_province_admins_define_types_and_others_cannot(db):
    seed(db)
    with system(db) as s:
        assert {"business_license", "food_business_license", "drug_business_license", "planning_permit",
                "construction_permit", "real_estate_certificate", "birth_certificate",
                "resident_id_card"} <= {t.code for t in all_types(s)}
        define_type(s, PHARMACY, actor=ADMIN)
        assert get_type(s, "pharmacist_license").template["accent"] == "#0d47a1"
        with pytest.raises(Forbidden):
            define_type(s, PHARMACY, actor=staff("haikou.admin", "4601", "tenant_admin", subtree=True))


def test_a_bad_definition_is_refused_field_by_field(db):
    seed(db)
    bad = {**PHARMACY, "code": "Bad Code", "holder_kind": "robot",
           "fields": [{"name": "name", "source": "db.secret"}, {"name": "name"},
                      {"name": "employer", "source": "form.employer|db.secret"}]}
    with system(db) as s, pytest.raises(Invalid) as refused:
        define_type(s, bad, actor=ADMIN)
    assert {(e["path"], e["code"]) for e in refused.value.errors} == {
        ("code", "invalid"), ("holder_kind", "invalid"), ("fields[0].source", "invalid"), ("fields[1].name", "invalid"),
        ("fields[2].source", "invalid")}
    with system(db) as s:
        assert get_type(s, "Bad Code") is None


def test_suspend_and_reinstate(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "SUSP-0001")
    with system(db) as s:
        change_status(s, number, "suspend", reason="责令停业整顿", actor=staff("mr", "4601", "approver"))
    assert client.get(f"/api/sharing/verify/{number}").json()["outcome"] == "suspended"
    with system(db) as s:
        change_status(s, number, "reinstate", reason="整改完成", actor=staff("mr", "4601", "approver"))
    assert client.get(f"/api/sharing/verify/{number}").json()["outcome"] == "valid"
