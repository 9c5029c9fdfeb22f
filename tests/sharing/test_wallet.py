"""The holder's wallet: an agent acting for her enterprise sees its licenses, downloads a PDF that carries the
QR code to the verification page, and sees who accessed them; another holder's PDF is 'not found'."""
import io

from pypdf import PdfReader
from sharing_support import USCC, put_license, seed, seed_identity_fast, sign_in_for_enterprise, system
from starlette.testclient import TestClient

from tongban.platform.sharing.access import Accessor, record_license
from tongban.platform.sharing.library import by_number


def test_the_enterprise_sees_its_licenses_downloads_a_pdf_and_sees_accesses(app, db, settings):
    seed(db)
    enterprise_sub = seed_identity_fast(app, db, settings)
    number, _ = put_license(db, settings.secret_key, "BL-WALLET-0001", subject=enterprise_sub)
    put_license(db, settings.secret_key, "BL-ELSE-0001", holder_id="914601007777777777", subject="someone-else",
                holder_name="别家公司")
    with system(db) as s:
        record_license(s, by_number(s, number), kind="api", purpose="食品经营许可审查", case_ref="4601-20261126-000001",
                       accessor=Accessor("dept-4601", "海口市市场监管登记系统", "4601", "市场监督管理局"))
    with TestClient(app, base_url="http://localhost") as http:
        assert http.get("/wallet", follow_redirects=False).headers["location"] == "/auth/login?next=%2Fwallet"
        page = sign_in_for_enterprise(http, enterprise_sub)
        assert str(page.url) == "http://localhost/wallet"
        assert "海南椰风科技有限公司" in page.text and USCC in page.text and number in page.text
        assert "BL-ELSE-0001" not in page.text and "别家公司" not in page.text
        assert "海口市市场监管登记系统" in page.text and "食品经营许可审查" in page.text and "4601-20261126-000001" in page.text
        pdf = http.get(f"/wallet/{number}.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Business License" in text and "营业执照" in text.replace(" ", "") and number in text and f"http://localhost/verify/{number}" in text
        other = http.get("/wallet/BL-ELSE-0001.pdf", headers={"accept": "application/json"})
        assert other.status_code == 404 and other.json()["error"] == "not_found"


def test_a_printed_license_and_its_qr_code_carry_hainans_day_and_the_public_address(app, db, settings):
    """Issued at 01:30 in Hainan (17:30 UTC the day before): the paper says Hainan's day; its QR code leads to the
    operator's public address when one is set."""
    from datetime import datetime, timezone

    from sqlalchemy import update

    from tongban.platform.sharing import documents
    from tongban.platform.sharing.models import License

    seed(db)
    number, _ = put_license(db, settings.secret_key, "BL-NIGHT-0001")
    with system(db) as s:
        s.execute(update(License).where(License.number == number)
                  .values(issued_at=datetime(2026, 11, 26, 17, 30, tzinfo=timezone.utc)))
    with system(db) as s:
        printed = documents.render(s, by_number(s, number), public_url="https://zwfw.hainan.gov.cn",
                                   now=datetime(2026, 11, 27, 2, tzinfo=timezone.utc))
    assert "2026年11月27日" in printed.html and "2026年11月26日" not in printed.html
    with system(db) as s:  # printed months later: the paper names its day and sends the reader to the QR code
        later = documents.render(s, by_number(s, number), public_url="https://zwfw.hainan.gov.cn",
                                 now=datetime(2027, 3, 1, 17, tzinfo=timezone.utc))
    assert "2027年03月02日打印，当前状态以扫码查验结果为准" in later.html
    assert printed.verify_url.startswith("https://zwfw.hainan.gov.cn/verify/")
