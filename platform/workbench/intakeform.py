"""A posted window application: the applicant, the materials (uploads, e-license numbers, files kept from an
earlier try) and the form, each problem tied to its field (zh + en)."""
from __future__ import annotations

from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tongban.platform.identity.accounts import validate_resident_id, validate_uscc
from tongban.platform.identity.common import IdentityError
from tongban.platform.workbench import formview, uploads

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


def serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="tongban.workbench.kept-files")


async def read(form, *, schema, materials: list[dict], var_dir, secret_key: str) -> Posted:
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
    return Posted(applicant, data, files, licenses, form_files, errors)


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
                 "email": values["email"] or None}
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
