"""Supervision state for `tongban seed --demo`: a township case left open long past its time limit and a bad rating
(差评) to rectify, then one supervision tick, so the console opens on real 预警/黄牌/红牌 in several tenants (the
township one red)."""
from __future__ import annotations

from sqlalchemy import func, select

from tongban.platform.approval.demo import _content, _Demo, _identities, _people, _staff
from tongban.platform.approval.models import Case
from tongban.platform.approval.service import ApprovalService
from tongban.tenants.isolation import TenantContext

TOWNSHIP = "460105100"  # 长流镇, 海口市秀英区
ITEM = "HN-MZ-002"
OVERDUE_DAYS = 60


def seed_demo_supervision(database, *, secret_key: str) -> int:
    """Add the overdue township case once, then tick; returns the alerts the tick raised (0 on a second run)."""
    from tongban.platform.supervision.tick import tick

    with database.unit_of_work(TenantContext.system("demo supervision")) as session:
        people = _people(session)
        identities = _identities(session, people) if people else {}
        content = _content(session, ITEM)
        left_open = session.scalar(select(func.count()).select_from(Case).where(
            Case.tenant_id == TOWNSHIP, Case.received_tenant_id == TOWNSHIP, Case.state == "in_progress"))
    if people and content is not None and not left_open:
        _overdue_township_case(ApprovalService(database, secret_key=secret_key), people, content, identities)
    if people:
        _bad_rating(database, people["citizen"])
    return len(tick(database).alerts)


def _bad_rating(database, citizen) -> None:
    """The citizen rates one of her concluded 海口 cases 不满意, once: 海口's market regulation has a 差评 to
    rectify (haikou.approver's 监察事项 tab) and the console a rectification to follow."""
    from tongban.platform.supervision.ratings import service as ratings
    from tongban.platform.supervision.ratings.models import Rating

    with database.unit_of_work(TenantContext.system("demo rating")) as session:
        if session.scalar(select(func.count()).select_from(Rating)):
            return
        case_id = session.scalar(select(Case.id).where(
            Case.tenant_id == "4601", Case.applicant_subject == citizen.subject, Case.state == "concluded",
            Case.item_code == "HN-SCJG-002").order_by(Case.id).limit(1))
    if case_id is not None:
        ratings.rate_case(database, citizen, case_id, level=2, reason="窗口一次性告知的材料与网上指南不一致，多跑了一趟")


def _overdue_township_case(service: ApprovalService, people: dict, content: dict, identities: dict) -> None:
    demo = _Demo(service, people, {ITEM: content}, identities)
    case = demo.submit(ITEM, TOWNSHIP, TOWNSHIP, people["citizen"], days=OVERDUE_DAYS)
    demo.act(case, "accept", _staff("长流镇窗口", TOWNSHIP, None, "window_clerk"), days=OVERDUE_DAYS)
