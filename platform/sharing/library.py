"""Writing licenses into the library (signed by the issuer's key), changing their status, finding them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.sharing import keys
from tongban.platform.sharing.canonical import canonical_bytes, content_hash
from tongban.platform.sharing.errors import Forbidden, NotFound, SharingError
from tongban.platform.sharing.models import License
from tongban.tenants.models import Tenant

BEIJING = ZoneInfo("Asia/Shanghai")
STATUSES = {"valid": ("有效", "valid"), "suspended": ("暂停", "suspended"), "revoked": ("已注销", "revoked"),
            "expired": ("已过期", "expired"), "not_yet_valid": ("尚未生效", "not yet in force")}
CHANGES = {"suspend": "suspended", "revoke": "revoked", "reinstate": "valid", "expire": "expired"}


@dataclass
class LicenseDraft:
    number: str
    type_code: str
    holder_kind: str
    holder_id: str
    holder_name: str
    issuer_tenant: str
    issuer_department: str
    valid_from: date
    valid_until: date | None
    content: dict = field(default_factory=dict)
    holder_subject: str | None = None
    source: str = "case"
    case_number: str | None = None


def today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(BEIJING).date()


def draft_hash(draft: LicenseDraft) -> str:
    return content_hash(canonical_bytes(asdict(draft)))


def write(session: Session, draft: LicenseDraft, secret_key: str, *, now: datetime | None = None
          ) -> tuple[License, str]:
    """Store and sign ``draft``; returns the license and what happened: created, updated or unchanged.

    The same issuer sending the same number with the same content again changes nothing (idempotent);
    a number held by another issuer is refused.
    """
    now = now or utcnow()
    canonical = canonical_bytes(asdict(draft))
    digest = content_hash(canonical)
    row = session.scalar(select(License).where(License.number == draft.number))
    if row is not None and row.issuer_tenant != draft.issuer_tenant:
        raise SharingError("number_taken", "该证照编号已由其他发证机关使用", "another issuer holds this license number",
                           field="number")
    if row is not None and row.content_hash == digest:
        return row, "unchanged"
    kid, signature = keys.sign(session, draft.issuer_tenant, secret_key, canonical)
    outcome = "updated" if row is not None else "created"
    if row is None:
        row = License(number=draft.number, issued_at=now, status="valid", revision=0)
        session.add(row)
    for name, value in asdict(draft).items():
        setattr(row, name, value)
    row.content_hash, row.key_id, row.signature, row.revision = digest, kid, signature, (row.revision or 0) + 1
    session.flush()
    return row, outcome


def effective_status(license_: License, on: date | None = None) -> str:
    """The stored status; a valid one reads ``expired`` once its validity period has passed and
    ``not_yet_valid`` (尚未生效) before it begins — it was never suspended."""
    day = on or today()
    if license_.status == "valid" and license_.valid_until is not None and license_.valid_until < day:
        return "expired"
    if license_.status == "valid" and license_.valid_from > day:
        return "not_yet_valid"
    return license_.status


def change_status(session: Session, number: str, change: str, *, reason: str, actor,
                  now: datetime | None = None) -> License:
    """suspend / revoke / reinstate / expire, with a reason, by staff of the issuing tenant (or the system)."""
    if change not in CHANGES:
        raise SharingError("bad_change", "未知的状态变更", f"unknown change {change!r}", field="change")
    if not (reason or "").strip():
        raise SharingError("reason_required", "请说明理由", "a reason is required", field="reason")
    row = by_number(session, number)
    if row is None:
        raise NotFound("证照")
    if not _may_manage(session, actor, row):
        raise NotFound("证照")
    if row.status == "revoked":
        raise Forbidden("revoked", "证照已注销，状态不能再变更", "a revoked license cannot change status")
    row.status, row.status_reason, row.status_at = CHANGES[change], reason.strip(), now or utcnow()
    session.flush()
    return row


def _may_manage(session: Session, actor, row: License) -> bool:
    if getattr(actor, "kind", None) == "system":
        return True
    path = session.scalar(select(Tenant.path).where(Tenant.code == row.issuer_tenant))
    may = getattr(actor, "may", None)
    return bool(path and may and may("approve_cases", path))


def by_number(session: Session, number: str) -> License | None:
    return session.scalar(select(License).where(License.number == number))


def held_by(session: Session, *, subjects: tuple[str, ...] = (), ids: tuple[str, ...] = (),
            type_code: str | None = None) -> list[License]:
    """Licenses whose holder is one of ``ids`` (resident ID / USCC) or whose account is one of ``subjects``."""
    who = [c for c in (License.holder_subject.in_(subjects) if subjects else None,
                       License.holder_id.in_(ids) if ids else None) if c is not None]
    if not who:
        return []
    stmt = select(License).where(or_(*who))
    if type_code:
        stmt = stmt.where(License.type_code == type_code)
    return list(session.scalars(stmt.order_by(License.issued_at.desc(), License.id.desc())))
