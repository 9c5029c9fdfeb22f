"""Data for the supervision console tests: a township case run through the engine until the tick red-cards it,
figures for the dashboard, and a complaint from the portal."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from approval_fixtures import application, citizen, open_tasks, publish_all, staff

BEIJING = timezone(timedelta(hours=8))
TOWNSHIP = "460105100"  # 长流镇, 海口市秀英区
MARKET = "市场监督管理局"


def bj(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=BEIJING)


def ensure_supervision_models() -> None:
    from tongban.platform.supervision import models  # noqa: F401
    from tongban.platform.supervision.ratings import models as _ratings  # noqa: F401
    from tongban.platform.supervision.vertical import models as _vertical  # noqa: F401


def red_carded_township_case(db, settings, *, accepted_at=None, ticked_at=None) -> dict:
    """A case accepted in the township long ago and left open: the tick raises its warning, yellow and red cards
    (the red one waits for a supervisor's confirmation). Returns {case_id, number, red (alert id)}."""
    from sqlalchemy import select

    from tongban.platform.approval.service import ApprovalService
    from tongban.platform.supervision.models import Alert
    from tongban.platform.supervision.tick import tick
    from tongban.tenants.isolation import TenantContext

    ensure_supervision_models()
    publish_all(db)
    engine = ApprovalService(db, secret_key=settings.secret_key)
    accepted_at = accepted_at or bj(2026, 3, 2)
    clerk = staff("town-clerk", TOWNSHIP, "window_clerk")
    case = engine.submit(TOWNSHIP, TOWNSHIP, citizen(), application("PROMISED"), now=accepted_at)
    (task,) = open_tasks(db, case["id"])
    engine.act(case["id"], "accept", clerk, task_id=task.id, now=accepted_at)
    tick(db, accepted_at + timedelta(hours=2))
    tick(db, ticked_at or bj(2026, 5, 20))
    with db.unit_of_work(TenantContext.system("test")) as session:
        red = session.scalar(select(Alert).where(Alert.case_id == case["id"], Alert.rule_code == "case_red"))
        return {"case_id": case["id"], "number": case["number"], "red": red.id, "department": red.department}


def complaint(db, tenant=TOWNSHIP, *, asked_at=None, question="窗口人员态度差，材料被要求重复提交") -> dict:
    from tongban.platform.supervision import petitions

    ensure_supervision_models()
    return petitions.ask(db, tenant, kind="complaint", asker_subject="person:1", question=question,
                         department=MARKET, now=asked_at or bj(2026, 3, 2))


def department_staff(db, username: str, tenant: str, department: str) -> str:
    """A staff account (password Tongban@2026, TOTP enrolled) approving in ``tenant`` for ``department``;
    returns its TOTP secret."""
    import pyotp

    from tongban.platform.db import utcnow
    from tongban.platform.identity.accounts import register_staff
    from tongban.platform.identity.grants import grant_role
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.permissions import Role
    from tongban.platform.identity.seed import DEMO_PASSWORD
    from tongban.tenants.isolation import TenantContext

    secret = pyotp.random_base32()
    with db.unit_of_work(TenantContext.none()) as session:
        account = register_staff(session, Passwords(fast_hasher()), username=username, password=DEMO_PASSWORD,
                                 name="部门整改员", home_tenant_code=tenant, department=department)
        account.totp_secret, account.totp_enabled_at = secret, utcnow()
        grant_role(session, account=account, role=Role.APPROVER, tenant_code=tenant, extends_to_subtree=False,
                   granter=None, actor="test")
    return secret
