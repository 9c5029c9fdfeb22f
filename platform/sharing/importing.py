"""Licenses sent by department systems: checked whole (field-level reasons), then written and signed by the
client's tenant key. Sending the same record again changes nothing; one bad record refuses the batch."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from tongban.configurator.forms import resident_id

from tongban.platform.sharing import basedata, library
from tongban.platform.sharing.errors import Invalid, problem
from tongban.platform.sharing.library import LicenseDraft
from tongban.platform.sharing.models import License, LicenseType, SharingClient
from tongban.platform.sharing.uscc import is_valid as uscc_valid

NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/]{3,79}$")
MAX_RECORDS = 1000
STATUSES = ("valid", "suspended", "revoked")


def import_licenses(session: Session, client: SharingClient, records, secret_key: str, *,
                    now: datetime | None = None) -> dict:
    """``{created, updated, unchanged, numbers}``; raises Invalid (nothing written) on any bad record."""
    if not isinstance(records, list) or not records or len(records) > MAX_RECORDS:
        raise Invalid([problem("records", "invalid", f"records 应为 1 到 {MAX_RECORDS} 条记录的列表",
                               f"records is a list of 1 to {MAX_RECORDS} records")])
    errors, drafts, seen = [], [], set()
    types = {t.code: t for t in session.scalars(select(LicenseType))}
    for i, record in enumerate(records):
        draft, problems = _check_record(session, client, types, record, f"records[{i}]", seen)
        errors.extend(problems)
        if draft is not None:
            drafts.append((draft, record))
    if errors:
        raise Invalid(errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for draft, record in drafts:
        row, outcome = library.write(session, draft, secret_key, now=now)
        counts[outcome] += 1
        _apply_status(row, record, now, outcome, counts)
        if row.type_code == "business_license":
            values = {k: v for k, v in row.content.items() if k in basedata.ENTERPRISE_FIELDS}
            values["name"] = row.holder_name
            basedata.upsert_enterprise(session, row.holder_id, source=f"import:{client.client_id}",
                                       subject=row.holder_subject, **values)
    return {**counts, "numbers": [d.number for d, _ in drafts]}


def _apply_status(row: License, record: dict, now, outcome: str, counts: dict) -> None:
    status = record.get("status", "valid")
    if status != row.status:
        row.status, row.status_reason, row.status_at = status, record.get("status_reason"), now or library.utcnow()
        if outcome == "unchanged":
            counts["unchanged"] -= 1
            counts["updated"] += 1


def _check_record(session, client, types, record, path, seen) -> tuple[LicenseDraft | None, list[dict]]:
    if not isinstance(record, dict):
        return None, [problem(path, "invalid", "每条记录应为对象", "each record is an object")]
    errors: list[dict] = []
    ltype = _check_type(client, types, record.get("type"), f"{path}.type", errors)
    number = _check_number(session, client, record.get("number"), f"{path}.number", errors, seen)
    holder = _check_holder(record.get("holder"), ltype, f"{path}.holder", errors)
    valid_from, valid_until = _check_dates(record, path, errors)
    content = _check_content(record.get("content"), ltype, f"{path}.content", errors)
    status = record.get("status", "valid")
    if status not in STATUSES:
        errors.append(problem(f"{path}.status", "invalid", "状态应为 valid、suspended 或 revoked",
                              "status is valid, suspended or revoked"))
    elif status != "valid" and not str(record.get("status_reason") or "").strip():
        errors.append(problem(f"{path}.status_reason", "required", "非有效状态须说明理由", "give the reason for the status"))
    if errors:
        return None, errors
    return LicenseDraft(number=number, type_code=ltype.code, holder_kind=holder["kind"], holder_id=holder["id"],
                        holder_name=holder["name"], holder_subject=holder.get("subject") or None,
                        issuer_tenant=client.tenant_code, issuer_department=client.department, valid_from=valid_from,
                        valid_until=valid_until, content=content, source="import"), []


def _check_type(client, types, code, path, errors) -> LicenseType | None:
    if code not in types:
        errors.append(problem(path, "unknown_type", "未配置的证照类型", f"unknown license type {code!r}"))
        return None
    if code not in client.may_issue:
        errors.append(problem(path, "not_allowed", "本系统无权签发该类证照", "this system may not issue this type"))
        return None
    return types[code]


def _check_number(session, client, number, path, errors, seen) -> str:
    number = str(number or "").strip()
    if not NUMBER.match(number):
        errors.append(problem(path, "invalid", "证照编号应为 4 到 80 位字母、数字或 - _ /",
                              "the number is 4 to 80 letters, digits, - _ /"))
    elif number in seen:
        errors.append(problem(path, "duplicate", "同一批次中证照编号重复", "the number appears twice in this batch"))
    else:
        issuer = session.scalar(select(License.issuer_tenant).where(License.number == number))
        if issuer is not None and issuer != client.tenant_code:
            errors.append(problem(path, "number_taken", "该编号已由其他发证机关使用", "another issuer holds this number"))
    seen.add(number)
    return number


def _check_holder(holder, ltype, path, errors) -> dict:
    if not isinstance(holder, dict):
        errors.append(problem(path, "required", "请提供持证主体", "the holder is required"))
        return {}
    kind, code, name = holder.get("kind"), str(holder.get("id") or "").strip().upper(), str(holder.get("name") or "").strip()
    if kind not in ("person", "enterprise") or (ltype and ltype.holder_kind not in ("any", kind)):
        errors.append(problem(f"{path}.kind", "invalid", "持证主体类型与证照类型不符", "the holder kind does not fit the type"))
    elif kind == "person" and not resident_id.is_valid(code):
        errors.append(problem(f"{path}.id", "invalid_resident_id", "居民身份证号码无效", "not a valid resident ID number"))
    elif kind == "enterprise" and not uscc_valid(code):
        errors.append(problem(f"{path}.id", "invalid_uscc", "统一社会信用代码无效", "not a valid USCC"))
    if not name:
        errors.append(problem(f"{path}.name", "required", "请填写持证主体名称", "the holder's name is required"))
    return {"kind": kind, "id": code, "name": name, "subject": holder.get("subject")}


def _check_dates(record, path, errors) -> tuple[date | None, date | None]:
    parsed = {}
    for key in ("valid_from", "valid_until"):
        raw = record.get(key)
        if raw in (None, "") and key == "valid_until":
            parsed[key] = None
            continue
        try:
            parsed[key] = date.fromisoformat(str(raw))
        except ValueError:
            errors.append(problem(f"{path}.{key}", "invalid_date", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD"))
            parsed[key] = None
    if parsed.get("valid_from") and parsed.get("valid_until") and parsed["valid_until"] < parsed["valid_from"]:
        errors.append(problem(f"{path}.valid_until", "before_start", "有效期截止日不能早于起始日",
                              "valid_until is before valid_from"))
    return parsed.get("valid_from"), parsed.get("valid_until")


def _check_content(content, ltype, path, errors) -> dict:
    if not isinstance(content, dict):
        errors.append(problem(path, "required", "请提供证照内容", "the content is required"))
        return {}
    if ltype is None:
        return {}
    known = {f["name"]: f for f in ltype.fields} | {"uscc": {"name": "uscc"}}
    for key, value in content.items():
        if key not in known:
            errors.append(problem(f"{path}.{key}", "unknown_field", "该证照类型没有此字段", "this type has no such field"))
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            errors.append(problem(f"{path}.{key}", "invalid", "字段值应为文字或数字", "a value is text or a number"))
    for spec in ltype.fields:
        if spec.get("required") and str(content.get(spec["name"], "")).strip() == "":
            errors.append(problem(f"{path}.{spec['name']}", "required", f"请填写“{spec['zh']}”", f"{spec['en']} is required"))
    return {k: str(v) for k, v in content.items() if k in known}
