"""Readable case numbers (tenant code + date + sequence) and query codes for progress checks."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from tongban.platform.approval.models import CaseCounter

BEIJING = ZoneInfo("Asia/Shanghai")


def case_day(at: datetime):
    """The day (Beijing time) whose counter numbers a case received at ``at``."""
    return at.astimezone(BEIJING).date()


def next_case_number(session: Session, tenant_code: str, at: datetime, *, taken: int | None = None) -> str:
    """``taken``: today's counter, already advanced for this case (intake's opening statement), when known."""
    day = case_day(at)
    value = taken if taken is not None else session.execute(_bump(tenant_code, day)).scalar()
    if value is None:
        try:
            with session.begin_nested():
                session.add(CaseCounter(tenant_id=tenant_code, day=day, value=1))
            value = 1
        except Exception:  # another request created today's counter first
            value = session.execute(_bump(tenant_code, day)).scalar()
    return f"{tenant_code}-{day:%Y%m%d}-{value:06d}"


def _bump(tenant_code: str, day):
    """Today's counter plus one, returned (no counter object is held in the session: nothing to synchronise)."""
    return (update(CaseCounter).where(CaseCounter.tenant_id == tenant_code, CaseCounter.day == day)
            .values(value=CaseCounter.value + 1).returning(CaseCounter.value)
            .execution_options(synchronize_session=False))


_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―－−"})


def normalise_case_number(typed: str) -> str:
    """A case number as people type it: full-width digits, other dashes, spaces, or no dashes at all
    (4601 20261127 000001, ４６０１－２０２６…, 460120261127000001) → ``4601-20261127-000001``. The date and the
    sequence are 8 and 6 digits, so digits alone split from the end whatever the tenant code's length."""
    text = "".join(unicodedata.normalize("NFKC", typed or "").translate(_DASHES).split())
    digits = text.replace("-", "")
    if digits.isdigit() and len(digits) > 14:
        return f"{digits[:-14]}-{digits[-14:-6]}-{digits[-6:]}"
    return text


def normalise_query_code(typed: str) -> str:
    """A query code as typed: full-width digits and spaces are forgiven."""
    return "".join(unicodedata.normalize("NFKC", typed or "").split())


def new_query_code() -> str:
    """Six digits the applicant keeps to check progress without signing in."""
    return f"{secrets.randbelow(10**6):06d}"


def hash_query_code(secret_key: str, number: str, code: str) -> str:
    return hmac.new(secret_key.encode(), f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


def query_code_matches(secret_key: str, number: str, code: str, stored: str) -> bool:
    return hmac.compare_digest(hash_query_code(secret_key, number, code.strip()), stored)
