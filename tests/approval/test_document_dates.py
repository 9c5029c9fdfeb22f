"""A notice is dated the day of the act it records, in Beijing time — the same whenever it is printed again — and
its QR code leads to the platform's public address when the operator set one (TONGBAN_PUBLIC_URL).

The acts happen on earlier days at 17:30 UTC (01:30 the next day in Beijing), so a notice dated by the printing
day, or by the UTC day, reads differently from what the act's own Beijing day says."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from approval_fixtures import APPROVER, CERT, CLERK, REVIEWER, application, citizen, step, the_case

from tongban.platform.approval import certificates, documents
from tongban.platform.settings import SettingsError, load_settings
from tongban.tenants.isolation import TenantContext

SEAL = re.compile(r'<div class="seal">[^<]*<br>([^<]*)</div>')
BEIJING = documents.BEIJING


def days_ago(n: int) -> datetime:
    """An instant n days back at 17:30 UTC: past midnight in Beijing, so its Beijing day is the next UTC day."""
    day = datetime.now(UTC) - timedelta(days=n)
    return day.replace(hour=17, minute=30, second=0, microsecond=0)


def beijing_day(instant: datetime) -> str:
    return instant.astimezone(BEIJING).strftime("%Y年%m月%d日")


def printed(db, case_id, kind):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return documents.render(s, the_case(db, case_id), kind, public_url="https://zwfw.hainan.gov.cn/t/4601").html


def seal(db, case_id, kind) -> str:
    (date,) = SEAL.findall(printed(db, case_id, kind))
    return date


@pytest.fixture
def plain_certificates(monkeypatch):
    """The engine's own certificate (no e-license library writer), whichever tests registered one before."""
    monkeypatch.setattr(certificates, "ISSUERS", [])


def test_the_seal_carries_the_day_of_each_act_not_the_printing_day(engine, db, plain_certificates):
    submitted, accepted, reviewed, decided, issued = (days_ago(n) for n in (12, 11, 10, 9, 8))
    case_id = engine.submit("4601", "4601", citizen(), application(), now=submitted)["id"]
    step(engine, db, case_id, "accept", CLERK, now=accepted)
    step(engine, db, case_id, "approve", REVIEWER, now=reviewed)
    step(engine, db, case_id, "approve", APPROVER, now=decided)
    step(engine, db, case_id, "approve", CERT, now=issued)
    today = beijing_day(datetime.now(UTC))
    assert seal(db, case_id, "acceptance") == beijing_day(accepted) != today
    assert beijing_day(accepted) != accepted.strftime("%Y年%m月%d日")  # Beijing's day, not UTC's
    assert seal(db, case_id, "approval") == beijing_day(decided)
    assert seal(db, case_id, "certificate") == beijing_day(issued)
    assert f"<th>发证日期</th><td>{beijing_day(issued)}</td>" in printed(db, case_id, "certificate")
    assert seal(db, case_id, "acceptance") == beijing_day(accepted)  # printed again: the same day


def test_supplement_refusal_and_rejection_notices_carry_their_own_acts_day(engine, db):
    asked, supplied, accepted, decided = (days_ago(n) for n in (20, 18, 17, 15))
    case_id = engine.submit("4601", "4601", citizen(), application(), now=days_ago(21))["id"]
    step(engine, db, case_id, "request_supplement", CLERK, missing=[{"material_id": "m1", "name": "申请书签字页"}],
         now=asked)
    engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "u9", "name": "申请书.pdf", "size": 10}]},
               now=supplied)
    step(engine, db, case_id, "accept", CLERK, now=accepted)
    step(engine, db, case_id, "approve", REVIEWER, now=accepted + timedelta(hours=1))
    step(engine, db, case_id, "reject", APPROVER, reason="经营场所不符合要求", now=decided)
    assert seal(db, case_id, "supplement") == beijing_day(asked)
    assert seal(db, case_id, "acceptance") == beijing_day(accepted)
    assert seal(db, case_id, "rejection") == beijing_day(decided)

    refused_at = days_ago(5)
    other = engine.submit("4601", "4601", citizen(), application(), now=days_ago(6))["id"]
    step(engine, db, other, "refuse", CLERK, reason="不属于本机关职权范围", now=refused_at)
    assert seal(db, other, "refusal") == beijing_day(refused_at)


def test_the_document_number_year_is_beijings(engine, db):
    """Submitted on 31 December at 17:30 UTC — already 1 January in Beijing, as the case number says."""
    last_year = datetime.now(UTC).year - 1
    new_year_eve = datetime(last_year, 12, 31, 17, 30, tzinfo=UTC)
    case_id = engine.submit("4601", "4601", citizen(), application(), now=new_year_eve)["id"]
    step(engine, db, case_id, "accept", CLERK, now=new_year_eve + timedelta(hours=1))
    case = the_case(db, case_id)
    assert f"〔{last_year + 1}〕第 {case.number} 号" in printed(db, case_id, "acceptance")


def test_the_public_address_is_the_configured_one_else_the_requests_own():
    configured = "https://zwfw.hainan.gov.cn/"
    assert documents.public_address(configured, "http://127.0.0.1:8000", site="/t/4601", tenant_code="4601") == \
        "https://zwfw.hainan.gov.cn/t/4601"
    assert documents.public_address(configured, "http://haikou.localhost", site="", tenant_code="4601") == \
        "https://zwfw.hainan.gov.cn/t/4601"  # a tenant's host is not the public one: its /t/<code> path is
    assert documents.public_address(configured, "http://127.0.0.1:8000") == "https://zwfw.hainan.gov.cn"
    assert documents.public_address(None, "http://haikou.localhost", site="", tenant_code="4601") == \
        "http://haikou.localhost"
    assert documents.public_address(None, "http://localhost:8000", site="/t/4601", tenant_code="4601") == \
        "http://localhost:8000/t/4601"


def test_tongban_public_url_is_read_and_checked(tmp_path):
    base = {"TONGBAN_VAR_DIR": str(tmp_path), "TONGBAN_SECRET_KEY": "x" * 40}
    assert load_settings(base).public_url is None
    assert load_settings({**base, "TONGBAN_PUBLIC_URL": " https://zwfw.hainan.gov.cn/ "}).public_url == \
        "https://zwfw.hainan.gov.cn"
    for wrong in ("zwfw.hainan.gov.cn", "ftp://zwfw.hainan.gov.cn", "https://zwfw.hainan.gov.cn/?a=1",
                  "https://[::1", "https://zwfw.hainan.gov.cn:port"):
        with pytest.raises(SettingsError, match="TONGBAN_PUBLIC_URL"):
            load_settings({**base, "TONGBAN_PUBLIC_URL": wrong})
