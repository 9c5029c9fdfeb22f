"""Licenses from concluded cases: the 多证合一 registration issues a signed business license with a valid USCC
and registers the enterprise in the shared base data."""
from approval_fixtures import citizen
from sharing_support import ENTERPRISE, USCC, conclude_registration, reg_form, system
from sqlalchemy import select
from stdnum.cn import uscc

from tongban.platform.sharing import basedata
from tongban.platform.sharing.library import by_number
from tongban.platform.sharing.models import License
from tongban.platform.sharing.verification import verify


def test_a_concluded_registration_issues_a_signed_business_license(engine, db):
    case = conclude_registration(engine, db)
    assert case.state == "concluded" and case.certificate_number.startswith("BUSINESSLICENSE-")
    with system(db) as s:
        row = by_number(s, case.certificate_number)
        check = verify(s, row.number)
        record = basedata.enterprise(s, USCC)
    assert row.type_code == "business_license" and row.source == "case" and row.case_number == case.number
    assert row.holder_id == USCC and row.holder_name == ENTERPRISE and row.holder_subject == "ent-yefeng"
    assert row.issuer_tenant == "4601" and row.key_id.startswith("4601-")
    assert row.content["legal_representative"] == "李海燕" and row.content["registered_capital"] == "1000000.00"
    assert check.ok and check.signature_ok
    assert record.name == ENTERPRISE and record.legal_representative == "李海燕" and record.status == "active"
    assert record.business_scope.startswith("软件开发") and record.source == f"license:{row.number}"


def test_the_cases_certificate_document_is_the_issued_license(engine, db):
    """The workbench's 证书 PDF prints the library's license in its type's template — what the QR code's check
    shows (title 营业执照, the USCC in full, scope, issuer) — not a generic sheet."""
    from tongban.platform.approval import documents

    case = conclude_registration(engine, db)
    with system(db) as s:
        printed = documents.render(s, s.get(type(case), case.id), "certificate", public_url="http://haikou.localhost")
    assert printed.title_zh == "营业执照" and printed.verify_url.endswith(f"/verify/{case.certificate_number}")
    assert "<h1>营业执照</h1>" in printed.html and USCC in printed.html and ENTERPRISE in printed.html
    assert "软件开发" in printed.html and case.certificate_number in printed.html


def test_a_new_enterprise_gets_a_valid_generated_uscc(engine, db):
    founder = citizen("赵创业", subject="person:founder")
    applicant = {"subject": founder.subject, "kind": "person", "name": founder.name, "id_number": "460100199001011230"}
    case = conclude_registration(engine, db, actor=founder, applicant=applicant,
                                 form=reg_form(enterprise_name="海南新椰科技有限公司", legal_representative="赵创业"))
    with system(db) as s:
        row = s.scalar(select(License).where(License.number == case.certificate_number))
        record = basedata.enterprise(s, row.holder_id)
        person = basedata.person(s, "460100199001011230")
    assert uscc.is_valid(row.holder_id) and row.holder_id.startswith("91460100")
    assert row.holder_kind == "enterprise" and row.holder_name == "海南新椰科技有限公司"
    assert row.content["uscc"] == row.holder_id and row.holder_subject == "person:founder"
    assert record.name == "海南新椰科技有限公司" and record.subject == "person:founder"
    assert person.name == "赵创业"  # the founder's natural-person base record


def test_registering_the_issuer_twice_adds_it_once(monkeypatch):
    from tongban.platform.approval import certificates
    from tongban.platform.sharing.install import register_issuer
    from tongban.platform.sharing.issuing import issue_from_case

    monkeypatch.setattr(certificates, "ISSUERS", [])
    register_issuer()
    register_issuer()
    assert certificates.ISSUERS == [issue_from_case]



def test_a_registration_form_with_other_field_names_still_fills_the_license(db):
    """The demo 多证合一 form says legal_rep_name / premises_address / registered_capital: the type's sources
    name alternatives (``form.legal_representative|form.legal_rep_name``), the first with a value wins."""
    from datetime import date
    from types import SimpleNamespace

    from sharing_support import seed

    from tongban.platform.sharing.issuing import content_from_case
    from tongban.platform.sharing.license_types import get_type

    seed(db)
    demo_form = {"enterprise_name": ENTERPRISE, "legal_rep_name": "王海", "premises_address": "三亚市吉阳区迎宾路 8 号",
                 "registered_capital": "500", "business_scope": "软件开发"}
    with system(db) as s:
        ltype = get_type(s, "business_license")
        demo = content_from_case(ltype, SimpleNamespace(form_data=demo_form, applicant={}, number="N-1",
                                                        item_name="企业设立登记"), date(2026, 11, 26))
        both = content_from_case(ltype, SimpleNamespace(form_data={**demo_form, "legal_representative": "李海燕"},
                                                        applicant={}, number="N-2", item_name="企业设立登记"),
                                 date(2026, 11, 26))
    assert demo["legal_representative"] == "王海" and demo["address"] == "三亚市吉阳区迎宾路 8 号"
    assert demo["registered_capital"] == "500" and demo["established_on"] == "2026-11-26"
    assert both["legal_representative"] == "李海燕"
