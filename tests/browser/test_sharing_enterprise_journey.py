"""Done-when of the sharing center, in a real browser: the agent of 海南椰风科技有限公司 wants a food business
permit (食品经营许可); the portal says to register the enterprise first (三证合一/多证合一), she does, staff
conclude it, the business license appears in the enterprise's wallet; she applies for the permit without
uploading the business license (the library's copy, with her consent; the form prefilled from base data),
staff issue the permit, and she opens the QR verification page of the issued permit.

Staff steps go through the approval service (the workbench's own browser test covers its pages)."""
import io
import re
from datetime import timedelta
from pathlib import Path

from approval_fixtures import HAIKOU, citizen, open_tasks, service, staff
from browser_support import SCREENSHOTS, screenshot
from pypdf import PdfReader
from sharing_support import USCC, register_issuer, seed, system
from sqlalchemy import select

from tongban.configurator.demo import items_market
from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import DEMO_PASSWORD, demo_enterprise, seed_identity
from tongban.platform.sharing.demo import seed_demo_chains
from tongban.platform.sharing.library import today

REGISTRATION, FOOD = "HN-SCJG-001", "HN-SCJG-003"
LEGAL_REP_ID = "460100199001011230"
PDF = b"%PDF-1.4\n% test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _site(live_server: str) -> str:
    return "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]


def _publish_demo_items(db) -> None:
    from approval_fixtures import publish

    for build in (items_market.enterprise_setup, items_market.food_business_license):
        content = build()
        publish(db, content["elements"]["code"], content)


def _conclude(db, settings, number: str) -> Case:
    """Staff take the case from acceptance to its certificate, each step by the role its node names."""
    engine = service(db, settings)
    with system(db) as s:
        case_id = s.scalar(select(Case.id).where(Case.number == number))
    for _ in range(20):
        tasks = open_tasks(db, case_id)
        if not tasks:
            break
        for task in tasks:
            actor = staff(f"{task.role}-{task.department or 'window'}", HAIKOU, task.role, department=task.department)
            if task.node_kind == "start":  # accepted, the materials that may follow later (容缺) included
                engine.act(case_id, "accept", actor, task_id=task.id, rongque=_gaps(db, case_id))
            elif task.node_kind == "issue_certificate" and _gaps(db, case_id):  # no license before the gaps close
                with system(db) as s:
                    applicant = citizen("李海燕", subject=s.get(Case, case_id).applicant_subject)
                engine.act(case_id, "supply", applicant, files={m: [{"id": f"late-{m}", "name": f"{m}.pdf", "size": 9000}]
                                                                for m in _gaps(db, case_id)})
                engine.act(case_id, "approve", actor, task_id=task.id)
            else:
                engine.act(case_id, "approve", actor, task_id=task.id)
    with system(db) as s:
        case = s.get(Case, case_id)
        assert case.state == "concluded" and case.result == "approved", case.state
        return case


def _gaps(db, case_id: int) -> list[str]:
    with system(db) as s:
        return list(s.scalars(select(CaseMaterial.material_id).where(CaseMaterial.case_id == case_id,
                                                                     CaseMaterial.status == "rongque")))


def _submit(page, site: str, code: str) -> str:
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    if "/cases/" not in page.url:
        screenshot(page, f"sharing-journey-refused-{code}")
        summary = page.locator(".error-summary")
        raise AssertionError(summary.inner_text() if summary.count() else page.url)
    return page.url.rsplit("/", 1)[1]


def _files(tmp_path, *names):
    for name in names:
        (tmp_path / name).write_bytes(PDF)
    return [str(tmp_path / name) for name in names]


def test_an_enterprise_registers_gets_its_license_and_applies_without_uploading_it(
        live_server, page, phone, db, settings, monkeypatch, tmp_path):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # SQLite hands out the item version ids of earlier tests again
    seed(db)
    register_issuer(monkeypatch)
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    _publish_demo_items(db)
    with system(db) as s:
        assert seed_demo_chains(s) == 1  # 食品经营许可 needs the business license of 企业设立登记
        enterprise_sub = demo_enterprise(s).subject
    site = _site(live_server)

    # the agent signs in for her enterprise (法人登录) and goes for the food business permit
    page.goto(f"{site}/auth/switch?acting={enterprise_sub}&next=/items/{FOOD}/apply")
    page.fill("#username", "agent")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录 Sign in").click()
    page.wait_for_url(f"{site}/items/{FOOD}/apply")
    chain = page.locator("#chain")
    assert "请先申请“企业设立登记（“多证合一”）”并取得营业执照" in chain.inner_text()
    assert "电子证照库中暂无您的营业执照" in page.locator("#f-material-business_license-license").inner_text()
    screenshot(page, "sharing-journey-1-food-needs-registration")

    # … so she follows the path to the 多证合一 registration and applies
    chain.get_by_role("link").first.click()
    page.wait_for_url(f"{site}/items/{REGISTRATION}")
    page.get_by_role("link", name="在线申请").first.click()
    page.wait_for_url(f"{site}/items/{REGISTRATION}/apply")
    page.fill("#f-enterprise_name", "海南椰风科技有限公司")
    page.select_option("#f-enterprise_type", "llc")
    page.fill("#f-registered_capital", "100")
    page.select_option("#f-premises_division", "4601")
    page.fill("#f-premises_address", "海口市龙华区滨海大道 1 号")
    page.fill("#f-business_scope", "软件开发；预包装食品销售")
    page.fill("#f-legal_rep_name", "李海燕")
    page.fill("#f-legal_rep_id", LEGAL_REP_ID)
    page.fill("#f-phone", "13800000002")
    page.check("input[name='f.shareholders[0].holder_kind'][value='natural']")
    page.fill("#f-shareholders-0-holder_name", "李海燕")
    page.fill("#f-shareholders-0-holder_id", LEGAL_REP_ID)
    page.fill("#f-shareholders-0-subscribed", "100")
    page.fill("#f-shareholders-0-paid_by", (today() + timedelta(days=3650)).isoformat())
    page.select_option("#f-invoice_kind", "general")
    page.fill("#f-employees", "5")
    page.check("#f-promise")
    for material, path in zip(("application", "articles", "legal_rep_id_card", "holders", "appointments"),
                              _files(tmp_path, "申请书.pdf", "章程.pdf", "身份证.pdf", "股东.pdf", "任职.pdf")):
        page.set_input_files(f"#f-material-{material}-file", path)
    screenshot(page, "sharing-journey-2-registration-form")
    registration = _submit(page, site, REGISTRATION)
    screenshot(page, "sharing-journey-3-registration-submitted")

    # staff in the workbench take it to conclusion: the business license is issued into the library
    license_number = _conclude(db, settings, registration).certificate_number
    page.get_by_role("link", name="我的证照").click()
    page.wait_for_url(f"{site}/wallet")
    card = page.locator("section.license").filter(has_text=license_number)
    assert card.count() == 1 and "营业执照" in card.inner_text() and "有效" in card.inner_text()
    assert USCC in card.inner_text()
    screenshot(page, "sharing-journey-4-wallet-business-license")

    # the food business permit: no chain in the way, the business license offered, the form prefilled
    page.goto(f"{site}/items/{FOOD}/apply")
    assert page.locator("#chain").count() == 0 and "前置条件已满足" in page.locator("#chain-ok").inner_text()
    offer = page.locator("#f-material-business_license-license")
    assert offer.locator(".license-number").inner_text() == license_number and "长期有效" in offer.inner_text()
    assert page.input_value("#f-enterprise_name") == "海南椰风科技有限公司"
    assert f"来源：企业基础信息库（{USCC}）" in page.locator("#f-enterprise_name-source").inner_text()
    assert page.input_value("#f-legal_representative") == "李海燕"
    assert page.input_value("#f-premises_address") == "海口市龙华区滨海大道 1 号"
    assert page.locator("#f-premises_address-source").count() == 1
    page.fill("#f-contact_phone", "13800000002")
    page.check("input[name='f.business_format'][value='food_sales']")
    page.select_option("#f-premises_division", "4601")
    page.fill("#f-premises_area", "120")
    page.fill("#f-safety_staff-0-staff_name", "陈小红")
    page.fill("#f-safety_staff-0-staff_id", LEGAL_REP_ID)
    page.check("#f-promise")
    application, layout = _files(tmp_path, "食品经营许可申请书.pdf", "布局.pdf")
    page.set_input_files("#f-material-application-file", application)
    page.set_input_files("#f-material-layout-file", layout)
    page.check("#f-material-business_license-consent")  # the library's copy, with consent: no upload
    assert not page.locator("#f-material-business_license-file").is_visible()
    screenshot(page, "sharing-journey-5-food-form-with-e-license")
    permit_case = _submit(page, site, FOOD)
    assert "营业执照：电子证照免交" in page.content()
    screenshot(page, "sharing-journey-6-food-submitted")

    # staff issue the permit; the wallet lists it, and who used the business license for which case
    permit = _conclude(db, settings, permit_case).certificate_number
    page.get_by_role("link", name="我的证照").click()
    card = page.locator("section.license").filter(has_text=permit)
    assert card.count() == 1 and "食品经营许可证" in card.inner_text()
    log = page.locator("#access-log").inner_text()
    assert permit_case in log and "以电子证照代替“营业执照”" in log
    screenshot(page, "sharing-journey-7-wallet-permit-and-access-log")

    # the permit's PDF carries the QR code to its verification page, which she opens (desktop and phone)
    with page.expect_download() as download:
        card.get_by_role("link", name=re.compile("下载 PDF")).click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    (SCREENSHOTS / "sharing-journey-food-permit.pdf").write_bytes(body)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).replace("\n", "")
    target = re.search(r"http://haikou\.localhost:\d+/verify/[A-Z0-9-]+", text).group(0)
    assert target == f"{site}/verify/{permit}"
    page.goto(target)
    assert page.locator("#verdict").get_attribute("data-outcome") == "valid"
    assert "签名有效" in page.locator("#signature").inner_text() and "食品经营许可证" in page.content()
    screenshot(page, "sharing-journey-8-verify-permit")
    phone.goto(target)
    assert phone.locator("#verdict").get_attribute("data-outcome") == "valid"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(phone, "sharing-journey-9-verify-permit-phone")
