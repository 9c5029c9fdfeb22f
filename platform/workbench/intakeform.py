"""A posted window application: the applicant, the materials (uploads, e-license numbers, files kept from an
earlier try), the form (a division typed by name becomes its code) and the form's one-time submission key,
each problem tied to its field (zh + en)."""
from __future__ import annotations

from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tongban.platform.approval.submission_keys import KEY
from tongban.platform.identity.accounts import validate_resident_id, validate_uscc
from tongban.platform.identity.common import IdentityError
from tongban.platform.portal.apply_view import division_options
from tongban.platform.workbench import formview, uploads
from tongban.tenants import division_names

READ_LIMIT = (uploads.MAX_SIZE_MB + 1) * uploads.BYTES_PER_MB
KINDS = {"person": ("个人", "Individual"), "enterprise": ("法人", "Enterprise")}


@dataclass
class Posted:
    applicant: dict
    data: dict
    files: dict[str, list[dict]]  # material id → descriptors
    licenses: dict[str, str]
    form_files: dict[str, list[dict]]  # form file field → descriptors
    errors: list[dict] = field(default_factory=list)  # {path, zh, en}
    submission_key: str | None = None  # the rendered form's one-time key (see approval.submission_keys)


def serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="tongban.workbench.kept-files")


async def read(form, *, schema, materials: list[dict], var_dir, secret_key: str, snapshot=None) -> Posted:
    sign = serializer(secret_key)
    errors: list[dict] = []
    applicant = _applicant(form, errors)
    files = {}
    for material in materials:
        kept = _kept(sign, form.get(f"keep.{material['id']}"))
        fresh = await _uploads(form.getlist(f"m.{material['id']}"), material, var_dir, errors,
                               f"materials.{material['id']}")
        if kept + fresh:
            files[material["id"]] = kept + fresh
    licenses = {m["id"]: str(form.get(f"lic.{m['id']}")).strip() for m in materials
                if str(form.get(f"lic.{m['id']}") or "").strip()}
    form_files = {}
    for spec in (f for f in schema.fields if f.type == "file"):
        kept = _kept(sign, form.get(f"keep.f.{spec.name}"))
        fresh = await _uploads(form.getlist(f"f.{spec.name}"), {"formats": list(uploads.SIGNATURES),
                                                                 "max_size_mb": uploads.MAX_SIZE_MB},
                               var_dir, errors, spec.name)
        if kept + fresh:
            form_files[spec.name] = kept + fresh
    data = formview.parse(schema, form, form_files)
    if snapshot is not None:
        _divisions_by_name(schema, data, snapshot, errors)
    key = str(form.get("submission_key") or "")
    return Posted(applicant, data, files, licenses, form_files, errors, key if KEY.match(key) else None)


def _divisions_by_name(schema, data: dict, snapshot, errors: list[dict]) -> None:
    """Each division answer typed as a name ("长流镇") replaced by the code of the one division so named."""
    for spec in schema.fields:
        if spec.type == "division" and spec.name in data:
            data[spec.name] = _division_code(data[spec.name], spec, snapshot, errors, spec.name)
        for index, row in enumerate(data.get(spec.name) or [] if spec.type == "group" else []):
            for child in (c for c in spec.fields if c.type == "division" and c.name in row):
                row[child.name] = _division_code(row[child.name], child, snapshot, errors,
                                                 f"{spec.name}[{index}].{child.name}")


def _division_code(value, spec, snapshot, errors: list[dict], path: str):
    if not isinstance(value, str) or value.isdigit():
        return value
    matches = division_names.named(snapshot, value, spec.within or "")
    if len(matches) == 1:
        return matches[0].code
    if len(matches) > 1:
        zh, en = division_names.ambiguity(snapshot, matches, value)
        errors.append({"path": path, "zh": zh, "en": en})
    return value


def add_division_choices(fields: list[dict], snapshot) -> None:
    """Division fields (also in group rows) get the picker's options, as the citizen portal shows them."""
    for f in fields:
        if f["type"] == "division":
            f["division_options"] = division_options(snapshot, str(f["constraints"].get("within") or ""))
        for row in f.get("rows") or [] if f["type"] == "group" else []:
            add_division_choices(row, snapshot)


def _applicant(form, errors: list[dict]) -> dict:
    kind = str(form.get("a.kind") or "person")
    kind = kind if kind in KINDS else "person"
    values = {k: str(form.get(f"a.{k}") or "").strip() for k in ("name", "number", "phone", "email")}
    if not values["name"]:
        errors.append({"path": "a.name", "zh": "请填写申请人名称", "en": "Enter the applicant's name"})
    number = values["number"].upper()
    try:
        number = validate_uscc(number) if kind == "enterprise" else validate_resident_id(number)
    except IdentityError as error:
        errors.append({"path": "a.number", "zh": error.zh, "en": error.en})
    applicant = {"kind": kind, "name": values["name"], "id_number": number, "phone": values["phone"] or None,
                 "email": values["email"] or None, "id_verified": True}  # the clerk has the card in hand
    applicant["uscc" if kind == "enterprise" else "resident_id"] = number
    if kind == "enterprise":
        applicant["legal_representative"] = str(form.get("a.representative") or "").strip() or None
    return applicant


def _kept(sign: URLSafeSerializer, token) -> list[dict]:
    if not token:
        return []
    try:
        files = sign.loads(str(token))
    except BadSignature:
        return []
    return [f for f in files if isinstance(f, dict) and uploads.FILE_ID.match(str(f.get("id", "")))]


def keep_token(secret_key: str, files: list[dict]) -> str:
    return serializer(secret_key).dumps(files)


async def _uploads(given: list, material: dict, var_dir, errors: list[dict], path: str) -> list[dict]:
    stored = []
    for upload in given:
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read(READ_LIMIT)
        size = upload.size if upload.size is not None else len(data)
        problems = uploads.check(material, upload.filename, data[:16], size)
        if problems:
            errors.extend({"path": path, "zh": p.zh, "en": p.en} for p in problems)
            continue
        stored.append(await run_in_threadpool(uploads.store, var_dir, upload.filename, data))
    return stored
