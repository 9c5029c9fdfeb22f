"""E-licenses as the API shows them: the public verification (personal data masked), the holder's wallet with
its access log, and the full view a department system reads for a case."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from tongban.platform.sharing.access import KINDS
from tongban.platform.sharing.verification import Verification


@strawberry.enum(description="查验结果 / outcome of a verification")
class VerificationOutcome(Enum):
    VALID = "valid"
    TAMPERED = "tampered"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    NOT_FOUND = "not_found"


@strawberry.type(description="A field of a license with its labels / 证照字段")
class LicenseField:
    name: str
    label_zh: str
    label_en: str
    value: JSON


@strawberry.type(description="扫码查验: validity, status and signature check. Public: a person holder's name and ID "
                             "number masked, addresses, phones and children's names left out; nothing of a tampered "
                             "license's content")
class LicenseVerification:
    number: str
    outcome: VerificationOutcome
    ok: bool
    message_zh: str
    message_en: str
    signature_ok: bool
    status: str | None = strawberry.field(
        description="valid | suspended | revoked | expired | not_yet_valid; null when not found, and in the public "
                    "check of a tampered license")
    status_reason: str | None
    status_at: datetime | None
    type_code: str | None
    type_name_zh: str
    type_name_en: str
    holder_name: str
    holder_id_masked: str
    issuer_name: str
    issuer_department: str
    valid_from: date | None
    valid_until: date | None
    key_id: str | None
    fields: list[LicenseField]


def fields_of(rows: list[dict]) -> list[LicenseField]:
    return [LicenseField(name=f["name"], label_zh=f.get("zh", f["name"]), label_en=f.get("en", f["name"]),
                         value=f.get("value")) for f in rows]


def verification_node(v: Verification) -> LicenseVerification:
    zh, en = v.message
    return LicenseVerification(
        number=v.number, outcome=VerificationOutcome(v.outcome), ok=v.ok, message_zh=zh, message_en=en,
        signature_ok=v.signature_ok, status=v.status, status_reason=v.status_reason, status_at=v.status_at,
        type_code=v.type_code, type_name_zh=v.type_zh, type_name_en=v.type_en, holder_name=v.holder_name,
        holder_id_masked=v.holder_id_masked, issuer_name=v.issuer_name, issuer_department=v.issuer_department,
        valid_from=v.valid_from, valid_until=v.valid_until, key_id=v.key_id, fields=fields_of(v.fields))


@strawberry.type(description="One of the holder's own licenses / 我的证照")
class WalletLicense:
    number: str
    type_code: str
    type_name_zh: str
    type_name_en: str
    holder_name: str
    issuer_tenant: str
    issuer_department: str
    issued_at: datetime
    valid_from: date
    valid_until: date | None
    case_number: str | None = strawberry.field(description="The case it was issued from, if any")
    verification: LicenseVerification
    pdf_path: str = strawberry.field(description="Where the signed-in holder downloads its PDF (portal session)")


@strawberry.type(description="One access to the holder's licenses or records: who, when, which case, why / 调取记录")
class AccessRecord:
    at: datetime
    kind: str = strawberry.field(description="exemption | staff_view | api | base_data")
    kind_zh: str
    kind_en: str
    record: str
    license_number: str | None
    accessor_name: str
    accessor_tenant: str | None
    accessor_department: str | None
    case_ref: str | None
    purpose: str
    consent: bool


@strawberry.type(description="The holder's wallet: licenses and every access to them / 证照夹")
class Wallet:
    licenses: list[WalletLicense]
    access_log: list[AccessRecord] = strawberry.field(description="Newest first, at most 200")


def wallet_node(entries, log) -> Wallet:
    licenses = [WalletLicense(
        number=e.license.number, type_code=e.license.type_code, type_name_zh=e.type_zh, type_name_en=e.type_en,
        holder_name=e.license.holder_name, issuer_tenant=e.license.issuer_tenant,
        issuer_department=e.license.issuer_department, issued_at=e.license.issued_at, valid_from=e.license.valid_from,
        valid_until=e.license.valid_until, case_number=e.license.case_number, verification=verification_node(e.check),
        pdf_path=f"/wallet/{e.license.number}.pdf") for e in entries]
    return Wallet(licenses=licenses, access_log=[access_node(a) for a in log])


def access_node(a) -> AccessRecord:
    zh, en = KINDS.get(a.kind, (a.kind, a.kind))
    return AccessRecord(at=a.at, kind=a.kind, kind_zh=zh, kind_en=en, record=a.record, license_number=a.license_number,
                        accessor_name=a.accessor_name, accessor_tenant=a.accessor_tenant,
                        accessor_department=a.accessor_department, case_ref=a.case_ref, purpose=a.purpose,
                        consent=a.consent)


@strawberry.type(description="A license as a department system reads it for a case (unmasked; the read is logged)")
class SharedLicense:
    number: str
    type_code: str
    holder_kind: str
    holder_id: str
    holder_name: str
    issuer_tenant: str
    issuer_department: str
    valid_from: date
    valid_until: date | None
    status: str
    outcome: VerificationOutcome
    signature_ok: bool
    fields: list[LicenseField]


def shared_license_node(view: dict) -> SharedLicense:
    return SharedLicense(number=view["number"], type_code=view["type"], holder_kind=view["holder_kind"],
                         holder_id=view["holder_id"], holder_name=view["holder_name"],
                         issuer_tenant=view["issuer_tenant"], issuer_department=view["department"],
                         valid_from=date.fromisoformat(view["valid_from"]),
                         valid_until=date.fromisoformat(view["valid_until"]) if view["valid_until"] else None,
                         status=view["status"], outcome=VerificationOutcome(view["outcome"]),
                         signature_ok=view["signature_ok"], fields=fields_of(view["fields"]))


@strawberry.enum(description="基础数据类别")
class BaseRecordKind(Enum):
    ENTERPRISE = "enterprise"
    PERSON = "person"
    QUALIFICATIONS = "qualifications"
    PROJECTS = "projects"


@strawberry.type(description="A shared base record (企业、自然人、资格资质、工程项目) read for a case; the read is logged")
class BaseRecord:
    kind: BaseRecordKind
    key: str
    data: JSON
