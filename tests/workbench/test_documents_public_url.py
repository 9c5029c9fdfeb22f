"""The QR code on a notice printed at the window leads to the platform's public address (TONGBAN_PUBLIC_URL), not
to the host the clerk's browser happened to use (127.0.0.1:8000 opens on no citizen's phone); unset, it is the
request's own origin as before."""
import io
from dataclasses import replace

from approval_fixtures import CLERK, application, citizen, step, the_case
from pypdf import PdfReader
from workbench_support import HAIKOU, sign_in


def _accepted_case(app, db):
    case_id = app.state.approval.submit("4601", "4601", citizen(), application())["id"]
    step(app.state.approval, db, case_id, "accept", CLERK)
    return case_id


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")


def test_the_notice_qr_code_leads_to_the_configured_public_address(app, db, web, clock, settings):
    app.state.settings = replace(settings, public_url="https://zwfw.hainan.gov.cn")
    case_id = _accepted_case(app, db)
    sign_in(web, "haikou.clerk", clock, site="http://localhost", path="/t/4601/workbench/")
    pdf = web.get(f"http://localhost/t/4601/workbench/cases/{case_id}/documents/acceptance.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    text = _text(pdf.content)
    number = the_case(db, case_id).number
    assert f"https://zwfw.hainan.gov.cn/t/4601/progress?number={number}" in text
    assert "http://localhost" not in text  # the clerk's own address is nobody else's
    sign_in(web, "haikou.clerk", clock)
    on_host = _text(web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/acceptance.pdf").content)
    assert f"https://zwfw.hainan.gov.cn/t/4601/progress?number={number}" in on_host  # a tenant host: /t/<code> too


def test_without_the_setting_the_qr_code_uses_the_requests_origin(app, db, web, clock, settings):
    assert settings.public_url is None
    case_id = _accepted_case(app, db)
    sign_in(web, "haikou.clerk", clock)
    number = the_case(db, case_id).number
    text = _text(web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/acceptance.pdf").content)
    assert f"http://haikou.localhost/progress?number={number}" in text
    sign_in(web, "haikou.clerk", clock, site="http://localhost", path="/t/4601/workbench/")
    text = _text(web.get(f"http://localhost/t/4601/workbench/cases/{case_id}/documents/acceptance.pdf").content)
    assert f"http://localhost/t/4601/progress?number={number}" in text
