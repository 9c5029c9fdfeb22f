"""Verifying a license (扫码查验): does it exist, is its signature good over what the library holds now, what
is its status.

Two views. :func:`verify` and :func:`verify_license` are the full check staff, intake and the holder's own wallet
read. :func:`public_verification` is what anyone with the number sees: limited per address (``lookups``); a
person holder's name masked (王*明), their ID number masked, personal fields masked or left out as the license
type marks them (``license_types.public_mark``: never a person's address, ID number, phone or a child's name);
an enterprise's name and USCC in full; and nothing of a tampered license's content, which no one may rely on.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.sharing import keys, lookups
from tongban.platform.sharing.canonical import canonical_of, content_hash
from tongban.platform.sharing.library import STATUSES, effective_status, today
from tongban.platform.sharing.license_types import public_mark
from tongban.platform.sharing.models import License, LicenseType
from tongban.tenants.models import Tenant

OUTCOMES = {
    "valid": ("证照有效，签名验证通过", "The license is valid and its signature checks out"),
    "tampered": ("证照内容与发证机关签名不符，可能被篡改，请勿采信",
                 "The content does not match the issuer's signature: it may have been tampered with; do not rely on it"),
    "revoked": ("证照已注销", "The license has been revoked"),
    "suspended": ("证照暂停使用", "The license is suspended"),
    "expired": ("证照已过有效期", "The license has expired"),
    "not_yet_valid": ("证照尚未生效", "The license is not yet in force"),
    "not_found": ("电子证照库中没有该编号的证照", "No license with this number is in the library"),
}
BADGES = {**STATUSES, "tampered": ("不可采信", "not to be trusted"), "not_found": ("无此证照", "not found")}
CAUTIONS = ("expired", "suspended", "not_yet_valid")


@dataclass(frozen=True)
class Verification:
    number: str
    outcome: str  # valid | tampered | revoked | suspended | expired | not_yet_valid | not_found
    signature_ok: bool = False
    status: str | None = None
    status_reason: str | None = None
    status_at: datetime | None = None
    type_code: str | None = None
    type_zh: str = ""
    type_en: str = ""
    holder_kind: str | None = None
    holder_name: str = ""
    holder_id_masked: str = ""
    issuer_name: str = ""
    issuer_department: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    key_id: str | None = None
    fields: list[dict] = field(default_factory=list)  # {name, zh, en, value} as the viewer may see them
    withheld: bool = False  # the public view of a tampered license: its content is not shown

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"

    @property
    def message(self) -> tuple[str, str]:
        return OUTCOMES[self.outcome]

    @property
    def badge(self) -> tuple[str, str]:
        """The status as the verdict has it: a tampered license is never shown as 有效, whatever its row says."""
        return BADGES[self.outcome]

    @property
    def tone(self) -> str:
        """ok (green), warn (amber: expired, suspended, not yet in force) or bad (red) — as the verdict."""
        return "ok" if self.ok else ("warn" if self.outcome in CAUTIONS else "bad")

    def as_json(self) -> dict:
        zh, en = self.message
        badge_zh, badge_en = self.badge
        return {"number": self.number, "outcome": self.outcome, "ok": self.ok, "message": {"zh": zh, "en": en},
                "badge": {"zh": badge_zh, "en": badge_en}, "withheld": self.withheld,
                "signature_ok": self.signature_ok, "status": self.status, "status_reason": self.status_reason,
                "status_at": self.status_at.isoformat() if self.status_at else None, "type": self.type_code,
                "type_name": {"zh": self.type_zh, "en": self.type_en}, "holder_name": self.holder_name,
                "holder_id": self.holder_id_masked, "issuer": self.issuer_name, "department": self.issuer_department,
                "valid_from": _iso(self.valid_from), "valid_until": _iso(self.valid_until), "key_id": self.key_id,
                "fields": self.fields}


def signature_ok(session: Session, license_: License) -> bool:
    canonical = canonical_of(license_)
    return content_hash(canonical) == license_.content_hash and keys.verify(
        session, license_.key_id, license_.signature, canonical)


def verify(session: Session, number: str, *, on: date | None = None) -> Verification:
    """The full check (staff, intake): one query (the license with its type and issuer) and the signature."""
    found = _find(session, lookups.normalise(number))
    if found is None:
        return Verification(number=number, outcome="not_found")
    row, ltype, tenant_name = found
    return _verification(session, row, ltype, tenant_name or "", on)


def public_verification(session: Session, number: str, *, address: str, now: datetime,
                        on: date | None = None) -> Verification:
    """扫码查验 for anyone: refused while ``address`` is over its lookup limits (``lookups.check``); a lookup
    that verifies nothing counts as a miss. Personal data masked, a tampered license's content withheld."""
    lookups.check(session, address, now)
    typed = lookups.normalise(number)
    found = _find(session, typed) if lookups.well_formed(typed) else None
    if found is None:
        result = Verification(number=typed, outcome="not_found")
    else:
        row, ltype, tenant_name = found
        result = _public(_verification(session, row, ltype, tenant_name or "", on), row, ltype)
    lookups.record(session, address, now, miss=not result.signature_ok)
    return result


def _find(session: Session, number: str):
    """The license typed (any letter case), with its type and issuer's name: the exact spelling first."""
    spellings = lookups.candidates(number)
    stmt = (select(License, LicenseType, Tenant.name).outerjoin(LicenseType, LicenseType.code == License.type_code)
            .outerjoin(Tenant, Tenant.code == License.issuer_tenant).where(License.number.in_(spellings)))
    found = session.execute(stmt).all()
    return min(found, key=lambda f: spellings.index(f[0].number)) if found else None


def verify_license(session: Session, row: License, *, on: date | None = None) -> Verification:
    tenant = session.get(Tenant, row.issuer_tenant)
    return _verification(session, row, session.get(LicenseType, row.type_code), tenant.name if tenant else "", on)


def check_license(session: Session, row: License, *, on: date | None = None) -> Verification:
    """Signature and status only (no names, no fields): what intake and chain checks need."""
    good = signature_ok(session, row)
    status = effective_status(row, on or today())
    return Verification(number=row.number, outcome="tampered" if not good else status, signature_ok=good,
                        status=status, status_reason=row.status_reason, status_at=row.status_at,
                        type_code=row.type_code, valid_from=row.valid_from, valid_until=row.valid_until,
                        key_id=row.key_id)


def _verification(session: Session, row: License, ltype: LicenseType | None, issuer_name: str,
                  on: date | None) -> Verification:
    good = signature_ok(session, row)
    status = effective_status(row, on or today())
    return Verification(
        number=row.number, outcome="tampered" if not good else status, signature_ok=good, status=status,
        status_reason=row.status_reason, status_at=row.status_at, type_code=row.type_code,
        type_zh=ltype.name_zh if ltype else row.type_code, type_en=ltype.name_en if ltype else row.type_code,
        holder_kind=row.holder_kind, holder_name=row.holder_name,
        holder_id_masked=mask_holder_id(row.holder_kind, row.holder_id), issuer_name=issuer_name,
        issuer_department=row.issuer_department, valid_from=row.valid_from, valid_until=row.valid_until,
        key_id=row.key_id, fields=public_fields(ltype, row.content, masked=False))


def _public(full: Verification, row: License, ltype: LicenseType | None) -> Verification:
    """What anyone may see of ``full``: see the module's docstring."""
    if not full.signature_ok:
        return Verification(number=full.number, outcome=full.outcome, type_code=full.type_code, type_zh=full.type_zh,
                            type_en=full.type_en, issuer_name=full.issuer_name,
                            issuer_department=full.issuer_department, key_id=full.key_id, withheld=True)
    if not is_person(row.holder_kind):
        return replace(full, fields=public_fields(ltype, row.content, person=False))
    hidden = {str(v) for v in _hidden_values(ltype, row.content)}
    name = "" if row.holder_name in hidden else mask_name(row.holder_name)
    fields = [_unnamed(f, row) for f in public_fields(ltype, row.content, person=True)]
    return replace(full, holder_name=name, fields=fields)


def _unnamed(shown: dict, row: License) -> dict:
    """A person holder's name or ID number is masked in whatever field carries it."""
    value = shown["value"]
    if value == row.holder_name:
        return {**shown, "value": mask_name(value)}
    if value == row.holder_id:
        return {**shown, "value": mask_holder_id(row.holder_kind, value)}
    return shown


def _hidden_values(ltype: LicenseType | None, content: dict) -> list:
    if ltype is None:
        return []
    return [content[spec["name"]] for spec in ltype.fields
            if spec.get("name") in content and public_mark(ltype.code, spec, person=True) == "hidden"]


def is_person(holder_kind: str | None) -> bool:
    """Only an enterprise is public: any other holder is treated as a person."""
    return holder_kind != "enterprise"


def status_label(status: str | None) -> tuple[str, str]:
    return STATUSES.get(status or "", (status or "", status or ""))


def mask_holder_id(kind: str, holder_id: str) -> str:
    """A resident ID shows its first 6 and last 4 characters (as printed notices do), a person's other ID
    number its first and last 2; a USCC is public."""
    if not is_person(kind):
        return holder_id
    if len(holder_id) == 18:
        return f"{holder_id[:6]}********{holder_id[-4:]}"
    if len(holder_id) <= 4:
        return "*" * len(holder_id)
    return holder_id[:2] + "*" * (len(holder_id) - 4) + holder_id[-2:]


def mask_value(value) -> str:
    text = str(value)
    if len(text) <= 1:
        return "*"
    return text[0] + "*" * min(len(text) - 1, 6)


def mask_name(value) -> str:
    """A person's name as public notices show it: 王小明 → 王*明, 王明 → 王*, 欧阳小明 → 欧**明."""
    text = str(value or "").strip()
    if len(text) <= 1:
        return "*" if text else ""
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


MASKS = {"mask": mask_value, "name": mask_name}


def public_fields(ltype: LicenseType | None, content: dict, *, masked: bool = True, person: bool = True
                  ) -> list[dict]:
    """The fields of a license with their labels; ``masked``: as the public sees them for a ``person`` holder or
    not (``license_types.public_mark``). A person's license of no known type shows no fields to the public."""
    if masked and person and ltype is None:
        return []
    specs = ltype.fields if ltype else [{"name": k, "zh": k, "en": k} for k in sorted(content)]
    shown = []
    for spec in specs:
        if spec["name"] not in content:
            continue
        value = content[spec["name"]]
        mark = public_mark(ltype.code if ltype else None, spec, person=person) if masked else None
        if mark == "hidden":
            continue
        shown.append({"name": spec["name"], "zh": spec.get("zh", spec["name"]), "en": spec.get("en", spec["name"]),
                      "value": MASKS[mark](value) if mark else value})
    for extra in ("uscc",):
        if extra in content and not any(f["name"] == extra for f in shown):
            shown.insert(0, {"name": extra, "zh": "统一社会信用代码", "en": "USCC", "value": content[extra]})
    return shown


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
