"""Who is told: the staff directory that notices go to, and a person's own contact.

A new task is mailed to the staff who hold its role in the handling tenant (of its department, when it has one);
a supervision card to the department it is raised against, or to the supervisors of the supervising tenant. The
directory counts grants held in the tenant itself: a subtree grant higher up lets its holder act there but does
not put every task of the province in their mailbox. Accounts that are not active, or have no email, are skipped.

A task opens on nearly every approval action, so the lists are kept per worker process for ``TTL`` seconds (a
grant or revocation in this process forgets them at once; other processes follow within ``TTL``): the engine's
batch gains no statement for them.
"""
from __future__ import annotations

import threading
import time
import weakref

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tongban.platform.approval.departments import normalised
from tongban.platform.identity.models import Account, RoleGrant, Staff

TTL = 60.0  # seconds
Group = tuple  # (tenant code, role or None, department or None)
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine → {group: (read at, contacts)}
_lock = threading.Lock()


def handler_contacts(session: Session, tenant_code: str, role: str | None, department: str | None) -> list[dict]:
    """``[{"name", "email"}]`` of the active staff holding ``role`` in ``tenant_code`` (any role when None), of
    ``department`` when given (compared as department codes)."""
    group = (tenant_code, role, department)
    return prefetch(session, [group])[_key(group)]


def prefetch(session: Session, groups: list[Group]) -> dict[Group, list[dict]]:
    """The contacts of many groups, those not kept read with one statement (a tick raising cards in many
    tenants and departments reads them at once)."""
    engine, clock = session.get_bind(), time.monotonic()
    keys = {_key(g) for g in groups}
    with _lock:
        kept = _cache.setdefault(engine, {})
        found = {k: hit[1] for k in keys if (hit := kept.get(k)) and clock - hit[0] < TTL}
    missing = keys - found.keys()
    if missing:
        read = _lookup(session, missing)
        with _lock:
            kept.update({k: (clock, v) for k, v in read.items()})
        found.update(read)
    return found


def _key(group: Group) -> Group:
    tenant_code, role, department = group
    return (tenant_code, role or "", normalised(department))


def _lookup(session: Session, keys: set[Group]) -> dict[Group, list[dict]]:
    rows = session.execute(
        select(RoleGrant.tenant_code, RoleGrant.role, Account.id, Account.display_name, Account.email,
               Staff.department)
        .join(Account, Account.id == RoleGrant.account_id).join(Staff, Staff.account_id == Account.id)
        .where(RoleGrant.tenant_code.in_({k[0] for k in keys}), Account.status == "active",
               Account.email.is_not(None), Account.email != "")
        .order_by(Account.id)).all()
    found: dict[Group, list[dict]] = {k: [] for k in keys}
    for tenant_code, role, department in keys:
        seen = found[(tenant_code, role, department)]
        ids: set[int] = set()
        for r in rows:
            if (r.tenant_code == tenant_code and (not role or r.role == role) and r.id not in ids
                    and (not department or normalised(r.department) == department)):
                ids.add(r.id)
                seen.append({"name": r.display_name, "email": r.email})
    return found


def forget() -> None:
    """Drop every list kept (of every database)."""
    with _lock:
        for kept in _cache.values():
            kept.clear()


def forget_after_commit(session: Session) -> None:
    """A grant or revocation in ``session``: the lists are dropped once it commits (not before, when another
    thread could read the old grants back into them)."""
    event.listen(session, "after_commit", lambda _session: forget(), once=True)


def person_contact(session: Session, subject: str) -> dict:
    """The email and mobile of the active account ``subject`` (empty when there is none or it is not active)."""
    row = session.execute(select(Account.email, Account.phone)
                          .where(Account.subject == subject, Account.status == "active")).first()
    if row is None:
        return {}
    return {k: v for k, v in (("email", row.email), ("phone", row.phone)) if v}
