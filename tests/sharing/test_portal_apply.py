"""The portal's apply page, wired to the sharing center, as the agent of 海南椰风科技有限公司 sees it: the
enterprise's business license offered instead of an upload (used only with consent, the access logged where
the holder sees it), an expired one refused with the reason, fields prefilled from base data and from an
earlier application with their source, and the item chain's path ("first apply for …")."""
import re
from datetime import timedelta

import pytest
from approval_fixtures import HAIKOU
from portal_support import PDF, portal_csrf
from sharing_support import (
    ADMIN,
    ENTERPRISE,
    USCC,
    enterprise_actor,
    enterprise_applicant,
    put_license,
    reg_form,
    seed_identity_fast,
    sign_in_for_enterprise,
    system,
    yesterday,
)
from sqlalchemy import select
from starlette.testclient import TestClient

from tongban.platform.approval.intake import Application
from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.sharing import basedata
from tongban.platform.sharing.access import log_for_holder
from tongban.platform.sharing.chains import define_group, relate
from tongban.platform.sharing.library import today

APPLY = "/items/FOOD/apply"
SITE = "http://haikou.localhost"
APPLICATION_PDF = [("file.mat.app", ("申请书.pdf", PDF, "application/pdf"))]


@pytest.fixture
def agent(app, db, settings, engine):
    """The demo agent signed in on 海口市's portal, acting for 海南椰风科技有限公司; yields (client, subject)."""
    enterprise_sub = seed_identity_fast(app, db, settings)
    with TestClient(app, base_url=SITE) as http:
        sign_in_for_enterprise(http, enterprise_sub, next_url="/cases")
        yield http, enterprise_sub


def _post(http, data: dict, files=(), action="submit"):
    form = http.get(APPLY)
    return http.post(APPLY, data={"csrf_token": portal_csrf(form), "action": action, **data}, files=list(files),
                     follow_redirects=False)


def _materials(db, number):
    with system(db) as s:
        case = s.scalar(select(Case).where(Case.number == number))
        return {m.material_id: (m.status, m.license_ref, m.files)
                for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))}


def test_the_business_license_is_offered_and_used_with_consent_instead_of_an_upload(agent, db, settings):
    http, enterprise_sub = agent
    number, _ = put_license(db, settings.secret_key, "BL-4601-PORTAL-1", subject=enterprise_sub)
    page = http.get(APPLY)
    assert page.status_code == 200
    offer = re.search(r'id="f-material-bl-license" data-outcome="valid">(.*?)</div>', page.text, re.S).group(1)
    assert "电子证照库中有您的营业执照" in offer and f'<strong class="license-number">{number}</strong>' in offer
    assert "长期有效" in offer and 'name="lic.bl"' in offer and f'name="licno.bl" value="{number}"' in offer
    assert 'name="lic.bl" value="1">' in offer, "consent is the applicant's to give: the box starts unticked"

    unticked = _post(http, {"f.enterprise_name": ENTERPRISE, "f.legal_representative": "李海燕"}, APPLICATION_PDF)
    assert unticked.status_code == 422 and "请提交“营业执照”" in unticked.text  # without consent, no license is used
    with system(db) as s:
        assert log_for_holder(s, (USCC,)) == []

    done = _post(http, {"f.enterprise_name": ENTERPRISE, "f.legal_representative": "李海燕", "lic.bl": "1",
                        "licno.bl": number}, APPLICATION_PDF)
    assert done.status_code == 303, done.text[:1500]
    case_number = done.headers["location"].rsplit("/", 1)[1]
    materials = _materials(db, case_number)
    assert materials["bl"] == ("license", number, []) and materials["app"][0] == "provided"
    assert "营业执照：电子证照免交" in http.get(done.headers["location"]).text
    with system(db) as s:
        (entry,) = log_for_holder(s, (USCC,))
    assert entry.kind == "exemption" and entry.consent and entry.case_ref == case_number
    assert entry.accessor == enterprise_sub and "食品经营许可" in entry.purpose
    wallet = http.get("/wallet")
    assert case_number in wallet.text and "以电子证照代替“营业执照”" in wallet.text


def test_an_expired_license_is_not_offered_and_the_applicant_is_told_why(agent, db, settings):
    http, enterprise_sub = agent
    number, _ = put_license(db, settings.secret_key, "BL-4601-OLD-1", subject=enterprise_sub,
                            valid_from=today() - timedelta(days=900), valid_until=yesterday())
    page = http.get(APPLY)
    offer = re.search(r'id="f-material-bl-license" data-outcome="expired">(.*?)</div>', page.text, re.S).group(1)
    assert f"您的“营业执照”（{number}）已于 {yesterday().isoformat()} 过期" in offer and 'name="lic.bl"' not in offer
    assert 'id="f-material-bl-file" name="file.mat.bl" multiple accept=".pdf,.jpg" required' in page.text
    forged = _post(http, {"f.enterprise_name": ENTERPRISE, "f.legal_representative": "李海燕", "lic.bl": "1",
                          "licno.bl": number}, APPLICATION_PDF)
    assert forged.status_code == 422 and "过期，不能代替上传" in forged.text
    assert http.get(APPLY + "?lang=en").text.count("expired on") == 1


def test_a_revoked_license_is_not_offered_and_the_reason_is_shown(agent, db, settings):
    from tongban.platform.approval.actors import Actor
    from tongban.platform.sharing.library import change_status

    http, enterprise_sub = agent
    number, _ = put_license(db, settings.secret_key, "BL-4601-REV-1", subject=enterprise_sub)
    with system(db) as s:
        change_status(s, number, "revoke", reason="企业申请注销登记", actor=Actor.system())
    offer = re.search(r'id="f-material-bl-license" data-outcome="revoked">(.*?)</div>', http.get(APPLY).text,
                      re.S).group(1)
    assert f"您的“营业执照”（{number}）已注销（企业申请注销登记），不能使用" in offer and 'name="lic.bl"' not in offer


def test_fields_are_prefilled_from_base_data_and_an_earlier_application_with_their_source(agent, db, engine):
    http, enterprise_sub = agent
    with system(db) as s:
        basedata.upsert_enterprise(s, USCC, source="import:market", subject=enterprise_sub, name=ENTERPRISE,
                                   legal_representative="李海燕", address="海口市龙华区滨海大道 1 号",
                                   registered_capital="1000000.00")
        define_group(s, "market_entry", name_zh="市场准入", name_en="Market entry", item_codes=["REG", "FOOD"],
                     element_codes=["enterprise.business_scope"], actor=ADMIN)
    earlier = engine.submit(HAIKOU, HAIKOU, enterprise_actor(enterprise_sub),
                            Application("REG", reg_form(business_scope="预包装食品销售"), "online",
                                        enterprise_applicant(enterprise_sub)))
    page = http.get(APPLY).text
    assert 'id="f-legal_representative" name="f.legal_representative" value="李海燕"' in page
    assert f'id="f-legal_representative-source">来源：企业基础信息库（{USCC}）' in page
    assert 'id="f-address" name="f.address" value="海口市龙华区滨海大道 1 号"' in page
    assert "预包装食品销售</textarea>" in page
    assert f'id="f-business_scope-source">来源：上次申请（{earlier["number"]}）' in page
    saved = _post(http, {"f.enterprise_name": ENTERPRISE, "f.legal_representative": "王五"}, action="save")
    assert saved.status_code == 200 and 'id="f-legal_representative-source"' not in saved.text, \
        "a value the applicant changed no longer claims the library as its source"
    assert 'id="f-enterprise_name-source">来源：企业基础信息库' in saved.text


def test_the_item_chain_shows_the_path_before_the_application_fails(agent, db, settings):
    http, enterprise_sub = agent
    with system(db) as s:
        relate(s, "REG", "FOOD", requirement="license", license_type="business_license", actor=ADMIN)
    page = http.get(APPLY).text
    chain = re.search(r'<section class="chain-needed" id="chain".*?</section>', page, re.S).group(0)
    assert "请先申请“企业设立登记（多证合一）”并取得营业执照" in chain and 'href="/items/REG"' in chain
    refused = _post(http, {"f.enterprise_name": ENTERPRISE, "f.legal_representative": "李海燕"},
                    [*APPLICATION_PDF, ("file.mat.bl", ("营业执照.pdf", PDF, "application/pdf"))])
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, re.S).group(0)
    assert '<a href="#chain">请先申请“企业设立登记（多证合一）”并取得营业执照</a>' in summary
    english = http.get(APPLY + "?lang=en").text
    assert "first apply for REG" in english
    put_license(db, settings.secret_key, "BL-4601-CHAIN-1", subject=enterprise_sub)
    page = http.get(APPLY + "?lang=zh").text
    assert 'id="chain"' not in page and "前置条件已满足" in page and "BL-4601-CHAIN-1" in page
