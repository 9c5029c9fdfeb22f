"""The holder's wallet (我的证照): a citizen's or an enterprise's licenses and every access to them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.identity.accounts import id_verified
from tongban.platform.identity.models import Account, Person
from tongban.platform.sharing import access
from tongban.platform.sharing.errors import NotFound
from tongban.platform.sharing.library import by_number, held_by
from tongban.platform.sharing.models import License, LicenseType
from tongban.platform.sharing.verification import Verification, verify_license


@dataclass(frozen=True)
class HolderKeys:
    subjects: tuple[str, ...]
    ids: tuple[str, ...]
    name: str = ""
    unverified_id: bool = False  # a person whose resident ID is not verified yet: their ID opens no licenses


def holder_keys(session: Session, *, subject: str, user_type: str, name: str = "", uscc: str | None = None,
                enterprise_sub: str | None = None) -> HolderKeys:
    """An enterprise (an agent acting for it) holds by its subject and USCC; a person by account and ID."""
    if user_type == "enterprise" and enterprise_sub:
        return HolderKeys((enterprise_sub,), tuple(i for i in (uscc,) if i), name)
    person = session.scalar(select(Person).join(Account, Account.id == Person.account_id)
                            .where(Account.subject == subject))
    if person is None or not person.id_number:
        return HolderKeys((subject,), (), name)
    if not id_verified(person):  # typed at registration, not proved (see exemption.applicant_keys)
        return HolderKeys((subject,), (), name, unverified_id=True)
    return HolderKeys((subject,), (person.id_number,), name)


@dataclass(frozen=True)
class WalletEntry:
    license: License
    type_zh: str
    type_en: str
    check: Verification


def entries(session: Session, keys: HolderKeys) -> list[WalletEntry]:
    types = {t.code: t for t in session.scalars(select(LicenseType))}
    shown = []
    for row in held_by(session, subjects=keys.subjects, ids=keys.ids):
        ltype = types.get(row.type_code)
        shown.append(WalletEntry(row, ltype.name_zh if ltype else row.type_code,
                                 ltype.name_en if ltype else row.type_code, verify_license(session, row)))
    return shown


def access_log(session: Session, keys: HolderKeys, numbers: tuple[str, ...]) -> list:
    return access.log_for_holder(session, keys.ids, numbers)


def own_license(session: Session, keys: HolderKeys, number: str) -> License:
    """The holder's license, or 'not found' (the same answer for someone else's)."""
    row = by_number(session, number)
    if row is None or not (row.holder_subject in keys.subjects or row.holder_id in keys.ids):
        raise NotFound("证照")
    return row


def page_data(entries_: list[WalletEntry], log: list) -> dict:
    """The wallet as plain data for a themed page (tenant templates never see the library's rows)."""
    from tongban.platform.sharing.access import KINDS

    licenses = [{"number": e.license.number, "type": (e.type_zh, e.type_en), "holder_name": e.license.holder_name,
                 "holder_id": e.license.holder_id, "valid_from": e.license.valid_from,
                 "valid_until": e.license.valid_until, "status": e.check.badge, "ok": e.check.ok,
                 "signature_ok": e.check.signature_ok} for e in entries_]
    accesses = [{"at": a.at, "who": " · ".join(p for p in (a.accessor_name, a.accessor_department, a.accessor_tenant)
                                               if p),
                 "kind": KINDS.get(a.kind, (a.kind, a.kind)), "consent": a.consent, "case_ref": a.case_ref or "",
                 "purpose": a.purpose, "record": a.record} for a in log]
    return {"licenses": licenses, "accesses": accesses}
