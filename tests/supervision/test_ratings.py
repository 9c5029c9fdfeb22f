"""好差评: one rating per case and per visit; a bad rating is rectified, called back and confirmed, or
appealed and excluded; satisfaction per tenant and department."""
import pytest
from approval_fixtures import citizen, staff
from sqlalchemy import select
from supervision_helpers import HAIKOU_SUPERVISOR, accepted, alerts, bj, concluded, tick

from tongban.platform.notify.outbox import OutboxMessage
from tongban.platform.supervision.errors import NotFound, SupervisionError, WrongState
from tongban.platform.supervision.ratings import service as ratings
from tongban.platform.supervision.stats.queries import breakdown, dashboard
from tongban.tenants.isolation import TenantContext

MARKET = "market_regulation"  # the item names 市场监督管理局: ratings and alerts keep the code
HANDLER = staff("m", "4601", "approver", department=MARKET)


def test_one_rating_per_case_and_per_visit(engine, db):
    case_id = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    good = ratings.rate_case(db, citizen(), case_id, level=5, now=bj(2026, 3, 4))
    assert (good["label_zh"], good["bad"], good["department"], good["rectification"]) == ("非常满意", False, MARKET, None)
    with pytest.raises(WrongState):
        ratings.rate_case(db, citizen(), case_id, level=4)
    ratings.rate_visit(db, citizen(), "4601", "4601-20260304-W012", level=4, department="政务服务中心")
    with pytest.raises(WrongState):
        ratings.rate_visit(db, citizen(), "4601", "4601-20260304-W012", level=3)
    with pytest.raises(SupervisionError) as refused:
        ratings.rate_visit(db, citizen(), "4601", "4601-20260304-W013", level=2)
    assert refused.value.field == "reason"
    with pytest.raises(SupervisionError):
        ratings.rate_case(db, citizen("王五", "person:2"), case_id, level=5)  # not the applicant


def test_a_bad_rating_is_rectified_called_back_and_confirmed(engine, db, contacts):
    case_id = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    bad = ratings.rate_case(db, citizen(), case_id, level=1, reason="窗口态度差", now=bj(2026, 3, 6))
    # five working days after Friday 6 March: 9 … 13 March → 14 March 00:00
    assert bad["rectification"]["state"] == "open" and bad["rectification"]["due_at"] == bj(2026, 3, 14, 0)
    with db.unit_of_work(TenantContext.system("t")) as s:
        notice = s.scalar(select(OutboxMessage).where(OutboxMessage.topic == "bad_rating"))
    assert notice.recipient == f"{MARKET}@4601.gov.test" and "窗口态度差" in notice.body
    with pytest.raises(WrongState):
        ratings.record_callback(db, HANDLER, "4601", bad["id"], note="已回访")
    ratings.report_rectification(db, HANDLER, "4601", bad["id"], report="已批评教育窗口人员", attachments=["r.pdf"],
                                 now=bj(2026, 3, 10))
    ratings.record_callback(db, HANDLER, "4601", bad["id"], note="申请人表示认可", now=bj(2026, 3, 11))
    done = ratings.applicant_confirms(db, citizen(), bad["id"], satisfied=True, now=bj(2026, 3, 12))
    assert done["state"] == "confirmed" and done["callback_note"] == "申请人表示认可"
    tick(db, bj(2026, 3, 20))
    assert alerts(db, rule="rating_rectification_overdue") == []


def test_a_rectification_not_reported_in_time_is_carded(engine, db):
    case_id = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    bad = ratings.rate_case(db, citizen(), case_id, level=2, reason="材料被要求重复提交", now=bj(2026, 3, 6))
    tick(db, bj(2026, 3, 13, 23, 59))
    assert alerts(db, rule="rating_rectification_overdue") == []
    tick(db, bj(2026, 3, 14, 0))
    (alert,) = alerts(db, rule="rating_rectification_overdue")
    assert (alert.department, alert.subject_key, alert.case_id) == (MARKET, f"rating:{bad['id']}", case_id)


def test_an_appealed_malicious_rating_is_excluded_from_the_figures(engine, db):
    first = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    second = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    ratings.rate_case(db, citizen(), first, level=5, now=bj(2026, 3, 4))
    bad = ratings.rate_case(db, citizen(), second, level=1, reason="恶意差评", now=bj(2026, 3, 4))
    before = dashboard(db, HAIKOU_SUPERVISOR, "4601")
    assert (before["ratings"], before["ratings_bad"], before["satisfaction"]) == (2, 1, 0.5)
    ratings.appeal_rating(db, HANDLER, "4601", bad["id"], reason="申请人与办件无关，系恶意评价")
    with pytest.raises(NotFound):  # another department's rating looks like no rating at all
        ratings.report_rectification(db, staff("x", "4601", "approver", department="税务局"), "4601", bad["id"], report="x")
    ratings.decide_rating_appeal(db, HAIKOU_SUPERVISOR, "4601", bad["id"], exclude=True, reason="查实为恶意评价")
    after = dashboard(db, HAIKOU_SUPERVISOR, "4601")
    assert (after["ratings"], after["ratings_bad"], after["satisfaction"]) == (1, 0, 1.0)
    tick(db, bj(2026, 4, 30))
    assert alerts(db, rule="rating_rectification_overdue") == []
    by_department = breakdown(db, HAIKOU_SUPERVISOR, "4601", "department")
    assert [(r["department"], r["ratings"], r["satisfaction"]) for r in by_department] == [(MARKET, 1, 1.0)]


def test_a_case_is_rated_only_once_it_is_done_and_a_visit_only_for_a_department_that_exists(engine, db):
    """Rating a case still being handled (or withdrawn) would open a rectification and count against a department
    for work not yet done; a visit rated against a made-up department would rank it in the figures."""
    open_case = accepted(engine, db, bj(2026, 3, 2))
    with pytest.raises(WrongState) as early:
        ratings.rate_case(db, citizen(), open_case, level=1, reason="太慢", now=bj(2026, 3, 3))
    assert early.value.code == "not_done" and "办结" in early.value.zh
    with pytest.raises(SupervisionError) as made_up:
        ratings.rate_visit(db, citizen(), "4601", "A001", level=1, reason="态度差", department="不存在的部门")
    assert made_up.value.field == "department"
    with pytest.raises(SupervisionError) as long_reason:
        ratings.rate_visit(db, citizen(), "4601", "A001", level=1, reason="差" * 1001, department="政务服务中心")
    assert long_reason.value.field == "reason"
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert not s.scalars(select(ratings.Rating)).all()  # nothing was recorded


def test_a_bad_rating_reaches_the_department_however_its_name_is_written(engine, db):
    """The item names its department 市场监督管理局, staff carry the code market_regulation (or the name): the
    rectification card is theirs either way, and they can report on it."""
    case_id = concluded(engine, db, bj(2026, 3, 2), bj(2026, 3, 3))
    bad = ratings.rate_case(db, citizen(), case_id, level=1, reason="窗口态度差", now=bj(2026, 3, 4))
    tick(db, bj(2026, 4, 1))
    by_code = staff("m1", "4601", "approver", department="market_regulation")
    by_name = staff("m2", "4601", "approver", department="海口市市场监督管理局")
    other = staff("c1", "4601", "approver", department="civil_affairs")
    from tongban.platform.supervision.service import SupervisionService

    service = SupervisionService(db)
    for actor in (by_code, by_name):
        assert [(a["rule"], a["case_id"]) for a in service.department_alerts(actor, "4601")] == [(ratings.RULE, case_id)]
    assert service.department_alerts(other, "4601") == []
    with pytest.raises(NotFound):
        ratings.report_rectification(db, other, "4601", bad["id"], report="已整改")
    reported = ratings.report_rectification(db, by_name, "4601", bad["id"], report="已约谈窗口人员并整改")
    assert reported["state"] == "reported"
