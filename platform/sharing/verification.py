"""Verifying a license (扫码查验): does it exist, is its signature good over what the library holds now, what
is its status — shown to anyone, with personal data masked beyond what the paper itself shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.sharing import keys
from tongban.platform.sharing.canonical import canonical_of, content_hash
from tongban.platform.sharing.library import STATUSES, effective_status, today
from tongban.platform.sharing.models import License, LicenseType
from tongban.tenants.models import Tenant

OUTCOMES = {
    "valid": ("证照有效，签名验证通过", "The license is valid and its signature checks out"),
    "tampered": ("证照内容与发证机关签名不符，可能被篡改，请勿采信",
                 "The content does not match the issuer's signature: it may have been tampered with; do not rely on it"),
    "revoked": ("证照已注销", "The license has been revoked"),
    "suspended": ("证照暂停使用", "The license is suspended"),
    "expired": ("证照已过有效期", "The license has expired"),
    "not_found": ("电子证照库中没有该编号的证照", "No license with this number is in the library"),
}


@dataclass(frozen=True)
class Verification:
    number: str
    outcome: str  # valid | tampered | revoked | suspended | expired | not_found
    signature_ok: bool = False
    status: str | None = None
    status_reason: str | None = None
    status_at: datetime | None = None
    type_code: str | None = None
    type_zh: str = ""
    type_en: str = ""
    holder_name: str = ""
    holder_id_masked: str = ""
    issuer_name: str = ""
    issuer_department: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    key_id: str | None = None
    fields: list[dict] = field(default_factory=list)  # {zh, en, value} as the public may see them

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"

    @property
    def message(self) -> tuple[str, str]:
        return OUTCOMES[self.outcome]

    def as_json(self) -> dict:
        zh, en = self.message
        return {"number": self.number, "outcome": self.outcome, "ok": self.ok, "message": {"zh": zh, "en": en},
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
    """The public check: one query (the license with its type and issuer) and the signature."""
    stmt = (select(License, LicenseType, Tenant.name).outerjoin(LicenseType, LicenseType.code == License.type_code)
            .outerjoin(Tenant, Tenant.code == License.issuer_tenant).where(License.number == (number or "").strip()))
    found = session.execute(stmt).first()
    if found is None:
        return Verification(number=number, outcome="not_found")
    row, ltype, tenant_name = found
    return _verification(session, row, ltype, tenant_name or "", on)


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
        holder_name=row.holder_name, holder_id_masked=mask_holder_id(row.holder_kind, row.holder_id),
        issuer_name=issuer_name, issuer_department=row.issuer_department, valid_from=row.valid_from,
        valid_until=row.valid_until, key_id=row.key_id, fields=public_fields(ltype, row.content))


def status_label(status: str | None) -> tuple[str, str]:
    return STATUSES.get(status or "", (status or "", status or ""))


def mask_holder_id(kind: str, holder_id: str) -> str:
    """A resident ID shows its first 6 and last 4 characters (as printed notices do); a USCC is public."""
    if kind == "person" and len(holder_id) == 18:
        return f"{holder_id[:6]}********{holder_id[-4:]}"
    return holder_id


def mask_value(value) -> str:
    text = str(value)
    if len(text) <= 1:
        return "*"
    return text[0] + "*" * min(len(text) - 1, 6)


def public_fields(ltype: LicenseType | None, content: dict, *, masked: bool = True) -> list[dict]:
    specs = ltype.fields if ltype else [{"name": k, "zh": k, "en": k} for k in sorted(content)]
    shown = []
    for spec in specs:
        if spec["name"] not in content:
            continue
        value = content[spec["name"]]
        if masked and spec.get("personal"):
            value = mask_value(value)
        shown.append({"name": spec["name"], "zh": spec.get("zh", spec["name"]), "en": spec.get("en", spec["name"]),
                      "value": value})
    for extra in ("uscc",):
        if extra in content and not any(f["name"] == extra for f in shown):
            shown.insert(0, {"name": extra, "zh": "统一社会信用代码", "en": "USCC", "value": content[extra]})
    return shown


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
