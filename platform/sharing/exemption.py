"""免收证照: a material that a license in the library proves is not uploaded again.

At intake the approval engine asks :func:`check_license_materials` (nothing written; field-level refusals),
and once the case exists :func:`record_license_uses` writes the consented accesses to the holder's log.
Staff handling the case open the referenced license through :func:`staff_view` (logged as well).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.sharing import access
from tongban.platform.sharing.errors import NotFound, problem
from tongban.platform.sharing.library import by_number, held_by, today
from tongban.platform.sharing.models import License, LicenseType
from tongban.platform.sharing.verification import Verification, check_license, public_fields, verify

AUTO = ("", "auto")  # "find my license of the required type"


def applicant_keys(applicant: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(account subjects, holder IDs) that identify the applicant as a license holder: an enterprise by its USCC
    (an agent acts for it only once authorised), a person by the resident ID only once it is verified
    (``id_verified``: 实名核验 of the account, or the card sighted at a window). A self-registered account merely
    typed its ID: it opens nobody's licenses or data."""
    subjects = tuple(s for s in (applicant.get("subject"),) if s)
    if applicant.get("kind") == "enterprise":
        ids = tuple(str(i) for i in (applicant.get("uscc"),) if i)
    else:
        ids = tuple(str(i) for i in (applicant.get("id_number"),) if i and applicant.get("id_verified"))
    return subjects, ids


def is_holder(license_: License, applicant: dict) -> bool:
    subjects, ids = applicant_keys(applicant)
    return (license_.holder_subject in subjects) or (license_.holder_id in ids)


def usable_license(session: Session, applicant: dict, type_code: str, on: date | None = None) -> License | None:
    """The applicant's newest valid license of ``type_code`` whose signature holds, or None."""
    subjects, ids = applicant_keys(applicant)
    for row in held_by(session, subjects=subjects, ids=ids, type_code=type_code):
        if check_license(session, row, on=on).ok:
            return row
    return None


def offers(session: Session, applicant: dict, materials: list[dict], on: date | None = None) -> dict[str, dict]:
    """For the portal: per material that a license can satisfy, the license found (or why none can be used)."""
    found = {}
    subjects, ids = applicant_keys(applicant)
    for spec in materials:
        type_code = spec.get("satisfied_by_license_type")
        if not type_code:
            continue
        rows = held_by(session, subjects=subjects, ids=ids, type_code=type_code)
        checks = [check_license(session, r, on=on) for r in rows]
        usable = next((c for c in checks if c.ok), None)
        shown = usable or (checks[0] if checks else None)
        found[spec["id"]] = {"type": type_code, "number": shown.number if shown else None,
                             "usable": usable is not None, "outcome": shown.outcome if shown else "not_found",
                             "reason": refusal_text(spec, shown) if shown and not usable else None,
                             "valid_until": shown.valid_until.isoformat() if shown and shown.valid_until else None}
    return found


def check_license_materials(session: Session, applicant: dict, materials: list[dict], licenses: dict[str, str],
                            *, consent: bool = True, on: date | None = None) -> tuple[dict, list[dict]]:
    """``({material id: ("license", [], number)}, field-level errors)`` for the licenses an application names.

    ``licenses`` maps material ids to license numbers ("" or "auto": the applicant's valid license of the
    material's type). A number that is unknown or not the applicant's reads the same ("not found").
    """
    specs = {m["id"]: m for m in materials}
    statuses, errors = {}, []
    for material_id, number in licenses.items():
        path = f"materials.{material_id}"
        spec = specs.get(material_id)
        problem_ = _precheck(spec, path, consent)
        if problem_:
            errors.append(problem_)
            continue
        row, refusal = _pick(session, applicant, spec, str(number or "").strip(), on)
        if refusal:
            errors.append({**refusal, "path": path})
        else:
            statuses[material_id] = ("license", [], row.number)
    return statuses, errors


def _precheck(spec: dict | None, path: str, consent: bool) -> dict | None:
    if spec is None:
        return problem(path, "unknown_material", "该事项没有这项材料", "this item has no such material")
    if not spec.get("satisfied_by_license_type"):
        return problem(path, "not_license_material", f"“{spec['name']}”不能用电子证照代替",
                       f"{spec['name']} cannot be replaced by an e-license")
    if not consent:
        return problem(path, "consent_required", "使用电子证照须经您授权，请勾选同意",
                       "we need your consent to use your e-license; tick the box")
    return None


def _pick(session: Session, applicant: dict, spec: dict, number: str, on: date | None):
    type_code = spec["satisfied_by_license_type"]
    if number.lower() in AUTO:
        row = usable_license(session, applicant, type_code, on)
        if row is None:
            mine = held_by(session, subjects=applicant_keys(applicant)[0], ids=applicant_keys(applicant)[1],
                           type_code=type_code)
            if mine:
                return None, _refusal(spec, check_license(session, mine[0], on=on))
            return None, _not_found(spec)
        return row, None
    row = by_number(session, number)
    if row is None or not is_holder(row, applicant):
        return None, _not_found(spec)
    if row.type_code != type_code:
        return None, problem("", "wrong_type", f"该证照不是“{spec['name']}”所需的证照类型",
                             f"this license is not of the type {spec['name']} needs")
    check = check_license(session, row, on=on)
    return (row, None) if check.ok else (None, _refusal(spec, check))


def _not_found(spec: dict) -> dict:
    return problem("", "license_not_found", f"电子证照库中没有您的“{spec['name']}”，请上传材料",
                   f"no {spec['name']} of yours is in the e-license library; please upload it")


def refusal_text(spec: dict, check: Verification) -> dict:
    return _refusal(spec, check)


def _refusal(spec: dict, check: Verification) -> dict:
    name = spec["name"]
    until = check.valid_until.isoformat() if check.valid_until else ""
    starts = check.valid_from.isoformat() if check.valid_from else ""
    reason = f"（{check.status_reason}）" if check.status_reason else ""
    texts = {
        "expired": (f"您的“{name}”（{check.number}）已于 {until} 过期，不能代替上传，请先办理延续或上传有效材料",
                    f"your {name} ({check.number}) expired on {until}; renew it or upload a valid one"),
        "revoked": (f"您的“{name}”（{check.number}）已注销{reason}，不能使用",
                    f"your {name} ({check.number}) has been revoked{reason and ' ' + reason}; it cannot be used"),
        "suspended": (f"您的“{name}”（{check.number}）暂停使用{reason}", f"your {name} ({check.number}) is suspended"),
        "not_yet_valid": (f"您的“{name}”（{check.number}）自 {starts} 起生效，目前尚未生效，不能代替上传",
                          f"your {name} ({check.number}) is in force from {starts}, not yet; it cannot be used"),
        "tampered": (f"“{name}”（{check.number}）未通过签名验证，不能使用",
                     f"{name} ({check.number}) failed its signature check and cannot be used"),
    }
    zh, en = texts.get(check.outcome, texts["tampered"])
    return problem("", f"license_{check.outcome}", zh, en)


@dataclass(frozen=True)
class LicenseUse:
    material_id: str
    material_name: str
    number: str


def record_license_uses(session: Session, case, statuses: dict, *, accessor: access.Accessor,
                        materials: list[dict], now: datetime | None = None) -> list[LicenseUse]:
    """After the case exists: one consented access per license used, in the holder's log."""
    names = {m["id"]: m["name"] for m in materials}
    uses = []
    for material_id, (status, _files, number) in statuses.items():
        if status != "license" or not number:
            continue
        row = by_number(session, number)
        if row is None:
            continue
        purpose = f"{case.item_name}：以电子证照代替“{names.get(material_id, material_id)}” / used instead of an upload"
        access.record_license(session, row, kind="exemption", accessor=accessor, purpose=purpose,
                              case_ref=case.number, consent=True, now=now)
        uses.append(LicenseUse(material_id, names.get(material_id, material_id), number))
    return uses


def staff_view(session: Session, number: str, *, case, accessor: access.Accessor,
               now: datetime | None = None) -> dict:
    """The full license for staff handling ``case``, only when the case references it; logged."""
    from tongban.platform.approval.models import CaseMaterial

    referenced = session.scalar(select(CaseMaterial.id).where(CaseMaterial.case_id == case.id,
                                                              CaseMaterial.license_ref == number))
    row = by_number(session, number)
    if referenced is None or row is None:
        raise NotFound("证照")
    check = verify(session, number, on=today(now))
    ltype = session.get(LicenseType, row.type_code)
    access.record_license(session, row, kind="staff_view", accessor=accessor, case_ref=case.number,
                          purpose=f"审查办件 {case.number}（{case.item_name}）的免收证照材料 / reviewing the case", now=now)
    return {"verification": check, "holder_id": row.holder_id, "holder_name": row.holder_name,
            "fields": public_fields(ltype, row.content, masked=False)}
