"""The access log: every read of someone's license or base record by someone else, shown to the holder."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.sharing.errors import RateLimited, SharingError
from tongban.platform.sharing.models import AccessLog, License

KINDS = {"exemption": ("免收证照（申请人授权）", "Used instead of an upload (with consent)"),
         "staff_view": ("工作人员查看", "Viewed by staff"), "api": ("部门系统调取", "Read by a department system"),
         "base_data": ("基础数据调取", "Base data read")}


@dataclass(frozen=True)
class Accessor:
    """Who reads: an account (staff, applicant) or a department client."""

    subject: str
    name: str
    tenant: str | None = None
    department: str | None = None


def require_purpose(purpose: str | None, case_ref: str | None) -> tuple[str, str]:
    if not (purpose or "").strip():
        raise SharingError("purpose_required", "请说明调取用途", "state the purpose of this access", field="purpose")
    if not (case_ref or "").strip():
        raise SharingError("case_required", "请提供关联的办件编号", "give the case this access is for", field="case_ref")
    return purpose.strip(), case_ref.strip()


def record(session: Session, *, kind: str, holder_id: str, record_key: str, accessor: Accessor, purpose: str,
           case_ref: str | None, consent: bool = False, license_number: str | None = None,
           now: datetime | None = None) -> AccessLog:
    entry = AccessLog(at=now or utcnow(), kind=kind, holder_id=holder_id, record=record_key,
                      license_number=license_number, accessor=accessor.subject, accessor_name=accessor.name,
                      accessor_tenant=accessor.tenant, accessor_department=accessor.department, case_ref=case_ref,
                      purpose=purpose, consent=consent)
    session.add(entry)
    return entry


def record_license(session: Session, license_: License, *, kind: str, accessor: Accessor, purpose: str,
                   case_ref: str | None, consent: bool = False, now: datetime | None = None) -> AccessLog:
    return record(session, kind=kind, holder_id=license_.holder_id, record_key=license_.number, accessor=accessor,
                  purpose=purpose, case_ref=case_ref, consent=consent, license_number=license_.number, now=now)


def check_rate(session: Session, accessor: str, per_minute: int, now: datetime | None = None) -> None:
    """Refuse a department's read past ``per_minute`` reads in the last minute (counted from the log itself,
    so every web worker sees the same count)."""
    since = (now or utcnow()) - timedelta(minutes=1)
    used = session.scalar(select(func.count()).select_from(AccessLog)
                          .where(AccessLog.accessor == accessor, AccessLog.at >= since))
    if used >= per_minute:
        raise RateLimited("rate_limited", f"调取过于频繁（每分钟最多 {per_minute} 次），请稍后再试",
                          f"too many reads (at most {per_minute} a minute); try again shortly")


def log_for_holder(session: Session, ids: tuple[str, ...], licenses: tuple[str, ...] = (),
                   limit: int = 200) -> list[AccessLog]:
    """What the holder sees: accesses to their records (by ID / USCC) and to licenses they hold."""
    who = [c for c in (AccessLog.holder_id.in_(ids) if ids else None,
                       AccessLog.license_number.in_(licenses) if licenses else None) if c is not None]
    if not who:
        return []
    return list(session.scalars(select(AccessLog).where(or_(*who))
                                .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)))
