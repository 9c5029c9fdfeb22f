"""Notices and certificates render to PDF with CJK text, a QR code, and HarfBuzz font subsetting."""
import io

import pytest
from pypdf import PdfReader

from approval_fixtures import APPROVER, CERT, CLERK, REVIEWER, application, citizen, step, the_case
from tongban.platform.approval import documents
from tongban.platform.approval.errors import NotAllowed
from tongban.tenants.isolation import TenantContext


def render(db, case_id, kind):
    with db.unit_of_work(TenantContext.system("t")) as s:
        case = the_case(db, case_id)
        return documents.render(s, case, kind, public_url="https://zwfw.hainan.gov.cn")


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def test_acceptance_notice_and_certificate(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    assert documents.available(the_case(db, case_id)) == []
    step(engine, db, case_id, "accept", CLERK)
    notice = render(db, case_id, "acceptance")
    assert "受理通知书" in notice.html and "460100********1230" in notice.html and "460100199001011230" not in notice.html
    assert "<svg" in notice.html  # the QR code
    text = text_of(notice.pdf())
    assert "受理通知书" in text and "个体工商户设立登记" in text
    for actor in (REVIEWER, APPROVER, CERT):
        step(engine, db, case_id, "approve", actor)
    assert set(documents.available(the_case(db, case_id))) == {"acceptance", "approval", "certificate"}
    certificate = render(db, case_id, "certificate")
    assert certificate.verify_url.endswith(f"/verify/{the_case(db, case_id).certificate_number}")
    assert the_case(db, case_id).certificate_number in text_of(certificate.pdf())


def test_refusal_and_supplement_notices_carry_the_reasons(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    step(engine, db, case_id, "request_supplement", CLERK, missing=[{"material_id": "m1", "name": "申请书签字页"}])
    assert "申请书签字页" in text_of(render(db, case_id, "supplement").pdf())
    other = engine.submit("4601", "4601", citizen(), application())["id"]
    step(engine, db, other, "refuse", CLERK, reason="不属于本机关职权范围")
    assert "不属于本机关职权范围" in text_of(render(db, other, "refusal").pdf())
    with pytest.raises(NotAllowed):
        render(db, other, "certificate")


def test_fonts_are_subset_with_harfbuzz(engine, db, monkeypatch):
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0), "install libharfbuzz-subset0 (scripts/system-deps.sh)"
    calls = []
    original = fonts.Font._harfbuzz_subset

    def spy(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(fonts.Font, "_harfbuzz_subset", spy)
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    step(engine, db, case_id, "accept", CLERK)
    render(db, case_id, "acceptance").pdf()
    assert calls, "weasyprint fell back to fontTools subsetting (seconds per page)"


def test_a_rongque_acceptance_notice_says_what_is_still_owed_and_by_when(engine, db):
    """容缺受理: not "materials complete" — the notice names the material accepted as missing and its deadline."""
    from datetime import UTC, datetime

    from approval_fixtures import HAIKOU

    friday = datetime(2026, 11, 27, 2, tzinfo=UTC)
    case_id = engine.submit(HAIKOU, HAIKOU, citizen(), application(capital="2000000.00"), now=friday)["id"]
    step(engine, db, case_id, "accept", CLERK, rongque=["m3"], now=friday)
    html = render(db, case_id, "acceptance").html
    assert "申请材料齐全、符合法定形式" not in html.replace("主要申请材料齐全、符合法定形式", "")
    assert "主要申请材料齐全" in html and "其余 1 项材料实行容缺受理" in html
    assert "容缺，限期补交（补交期限 " in html and "（）" not in html
    complete = engine.submit(HAIKOU, HAIKOU, citizen(), application(), now=friday)["id"]
    step(engine, db, complete, "accept", CLERK, now=friday)
    assert "经审查，申请材料齐全、符合法定形式" in render(db, complete, "acceptance").html
