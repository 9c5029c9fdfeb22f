"""In a real browser: the agent of 海南椰风科技有限公司 signs in acting for the enterprise, finds the business
license issued by a concluded 多证合一 case in its wallet, downloads the PDF, and opens the verification page
its QR code leads to (desktop and phone); a revoked license reads as revoked."""
import io
import re

from approval_fixtures import service
from browser_support import SCREENSHOTS, screenshot
from pypdf import PdfReader
from sharing_support import (
    ADMIN,
    conclude_registration,
    enterprise_actor,
    enterprise_applicant,
    publish_items,
    register_issuer,
    seed,
    system,
)

from tongban.platform.approval.actors import Actor
from tongban.platform.identity.seed import demo_enterprise, seed_identity
from tongban.platform.sharing import api
from tongban.platform.sharing.clients import reader_for_client, register_client
from tongban.platform.sharing.library import change_status


def _setup(db, settings, live_server, monkeypatch):
    from tongban.platform.approval import flowcache
    from tongban.platform.identity.passwords import Passwords, fast_hasher

    flowcache._CACHE.clear()  # SQLite hands out the item version ids of earlier tests again
    seed(db)
    publish_items(db)
    register_issuer(monkeypatch)
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    with system(db) as s:
        enterprise_sub = demo_enterprise(s).subject
    case = conclude_registration(service(db, settings), db, actor=enterprise_actor(enterprise_sub),
                                 applicant=enterprise_applicant(enterprise_sub))
    with system(db) as s:  # a department reads it for the case: the wallet will show who, when and why
        client = register_client(s, client_id="dept-4601", name="海口市市场监管登记系统", tenant_code="4601",
                                 department="市场监督管理局", may_read=["business_license"], actor=ADMIN)
        api.read_license(s, reader_for_client(s, client), case.certificate_number, purpose="核对营业执照（档案归集）",
                         case_ref=case.number)
    return enterprise_sub, case


def _sign_in(page, live_server, enterprise_sub):
    page.goto(f"{live_server}/auth/switch?acting={enterprise_sub}&next=/wallet")
    page.get_by_label(re.compile("用户名|账号|Username", re.IGNORECASE)).fill("agent")
    page.get_by_label(re.compile("密码|Password", re.IGNORECASE)).fill("Tongban@2026")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server}/wallet")


def test_the_enterprise_finds_its_business_license_and_verifies_it(live_server, page, phone, db, settings,
                                                                     monkeypatch):
    enterprise_sub, case = _setup(db, settings, live_server, monkeypatch)
    number = case.certificate_number
    _sign_in(page, live_server, enterprise_sub)
    card = page.locator("section.license").filter(has_text=number)
    assert card.count() == 1 and "营业执照" in card.inner_text() and "有效" in card.inner_text()
    assert "海南椰风科技有限公司" in page.locator("#holder-name").inner_text()
    log = page.locator("#access-log").inner_text()
    assert "海口市市场监管登记系统" in log and "核对营业执照（档案归集）" in log and case.number in log
    screenshot(page, "sharing-wallet-enterprise")
    crumbs = page.locator("nav.breadcrumb li")
    assert crumbs.all_inner_texts() == ["海南省", "我的证照"], "inside the province's portal, not a bare page"
    assert page.locator("header.site-header .site-name").inner_text().startswith("海南省")
    page.locator("nav.breadcrumb").get_by_role("link", name="海南省").click()
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("link", name="我的证照").click()  # and back, from the portal's header
    page.wait_for_url(f"{live_server}/wallet")
    pdf = page.request.get(f"{live_server}/wallet/{number}.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    (SCREENSHOTS / "sharing-license.pdf").write_bytes(pdf.body())
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    qr_target = re.search(r"http://localhost:\d+/verify/[A-Z0-9-]+", text.replace("\n", "")).group(0)
    assert qr_target == f"{live_server}/verify/{number}"
    page.goto(qr_target)
    assert page.locator("#verdict").get_attribute("data-outcome") == "valid"
    assert "签名有效" in page.locator("#signature").inner_text()
    screenshot(page, "sharing-verify-valid")
    phone.goto(qr_target)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(phone, "sharing-verify-phone")
    with system(db) as s:
        change_status(s, number, "revoke", reason="企业申请注销登记", actor=Actor.system())
    page.goto(qr_target)
    assert page.locator("#verdict").get_attribute("data-outcome") == "revoked"
    assert "企业申请注销登记" in page.content()
    screenshot(page, "sharing-verify-revoked")
