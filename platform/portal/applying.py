"""Applying online: server-side drafts (resumable on any device), uploads kept across errors, e-licences and
prefill from the sharing center, and the hand-over to the approval engine, which checks the application
authoritatively (免收证照, item chains) and logs the e-licence accesses.

Every uploaded file is recorded the moment it arrives and referenced by the draft, so a failed check never
makes the applicant upload again. A submission is ``ApprovalService.submit``; the portal adds nothing to
its rules.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tongban.configurator.forms import FormSchema, prefill
from tongban.platform.approval.errors import SubmissionInvalid
from tongban.platform.approval.intake import Application
from tongban.platform.files.models import Upload
from tongban.platform.files.store import UploadRefused, UploadRules, UploadStore, uploads_of
from tongban.platform.portal.models import ApplicationDraft
from tongban.platform.sharing.aids import ApplicationAids

MATERIAL = "mat."
MB = 1024 * 1024


def license_materials(guide) -> list[dict]:
    """The item's materials that an e-license can stand in for, as the sharing center reads them."""
    return [{"id": m["id"], "name": m["name"], "satisfied_by_license_type": m["license_type"]}
            for m in guide.materials if m["license_type"]]


def sharing_aids(sharing, applicant: dict, guide, schema: FormSchema) -> ApplicationAids:
    """From the sharing center: the applicant's e-licenses for the materials (免收证照), the values base data
    and earlier applications give the form, and the item chain."""
    return sharing.application_aids(applicant, guide.code, license_materials(guide),
                                    {"fields": [{"name": spec.name} for spec in schema.fields]})


def first_values(schema: FormSchema, identity: dict, aids: ApplicationAids) -> dict:
    """A new application's values: the form's own prefill (account, defaults), then what the government
    already holds (base data, earlier applications) for every field the account did not fill: the account's
    own data (its name, the enterprise it acts for) is never replaced by what an earlier application typed."""
    own = prefill(schema, identity)
    values = {name: entry["value"] for name, entry in own.items()}
    for name, entry in aids.prefill.items():
        spec = schema.by_name.get(name)
        if spec is None or spec.compute is not None or spec.type in ("file", "group"):
            continue
        if own.get(name, {}).get("source", "").startswith("identity."):
            continue
        values[name] = entry["value"]
    return values


@dataclass
class Attempt:
    """One application as the page holds it: form values, uploads per purpose, e-licences, errors."""

    form_data: dict = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)  # purpose ("mat.<id>" or a file field) → tokens
    licenses: dict[str, str] = field(default_factory=dict)  # material id → licence number
    license_opt_in: set[str] = field(default_factory=set)
    errors: list[dict] = field(default_factory=list)  # {path, code, zh, en}

    def error(self, path: str, code: str, zh: str, en: str) -> None:
        self.errors.append({"path": path, "code": code, "zh": zh, "en": en})


def load_draft(session: Session, subject: str, item_code: str) -> ApplicationDraft | None:
    return session.scalar(select(ApplicationDraft).where(ApplicationDraft.applicant_subject == subject,
                                                         ApplicationDraft.item_code == item_code))


def attempt_from_draft(draft: ApplicationDraft | None) -> Attempt:
    if draft is None:
        return Attempt()
    licenses = dict(draft.licenses or {})
    return Attempt(dict(draft.form_data or {}), {k: list(v) for k, v in (draft.files or {}).items()}, licenses,
                   set(licenses))


def save_draft(session: Session, subject: str, item_code: str, attempt: Attempt) -> ApplicationDraft:
    draft = load_draft(session, subject, item_code)
    if draft is None:
        draft = ApplicationDraft(applicant_subject=subject, item_code=item_code)
        session.add(draft)
    draft.form_data = attempt.form_data
    draft.files = {k: v for k, v in attempt.files.items() if v}
    draft.licenses = {k: v for k, v in attempt.licenses.items() if k in attempt.license_opt_in}
    session.flush()
    return draft


def delete_draft(session: Session, subject: str, item_code: str) -> None:
    session.execute(delete(ApplicationDraft).where(ApplicationDraft.applicant_subject == subject,
                                                   ApplicationDraft.item_code == item_code))


def owned_uploads(session: Session, owner: str, tokens: Iterable[str]) -> dict[str, Upload]:
    return uploads_of(session, list(dict.fromkeys(tokens)), owner)


def descriptors(uploads: dict[str, Upload], tokens: list[str]) -> list[dict]:
    return [uploads[t].descriptor() for t in tokens if t in uploads]


def applicant_of(subject: str, kind: str, identity: dict) -> dict:
    """The applicant as the approval engine records it, with the identity keys forms prefill from (and the
    resident ID as ``id_number``, the key the e-license library knows a person by)."""
    applicant = {**identity, "subject": subject, "kind": "enterprise" if kind == "enterprise" else "person"}
    if kind != "enterprise" and identity.get("resident_id") and not identity.get("id_number"):
        applicant["id_number"] = identity["resident_id"]
    applicant["id_verified"] = bool(identity.get("resident_id_verified"))  # the provider's 实名核验 claim
    return applicant


def application_of(item_code: str, attempt: Attempt, applicant: dict, uploads: dict[str, Upload],
                   file_fields: set[str]) -> Application:
    form_data = dict(attempt.form_data)
    for name in file_fields:
        files = descriptors(uploads, attempt.files.get(name, []))
        if files:
            form_data[name] = files
    materials = {purpose[len(MATERIAL):]: descriptors(uploads, tokens) for purpose, tokens in attempt.files.items()
                 if purpose.startswith(MATERIAL) and tokens}
    licenses = {k: v for k, v in attempt.licenses.items() if k in attempt.license_opt_in and v}
    return Application(item_code=item_code, form_data=form_data, channel="online", applicant=applicant,
                       files={k: v for k, v in materials.items() if v}, licenses=licenses,
                       upload_ids=tuple(t for tokens in attempt.files.values() for t in tokens if t in uploads))


def upload_targets(guide, schema: FormSchema) -> dict[str, tuple[str, UploadRules]]:
    """What an application for ``guide`` takes files for: purpose (``mat.<material id>`` or a form file field)
    → (the field a refusal names, the formats and size the file must fit)."""
    targets = {f"{MATERIAL}{m['id']}": (f"materials.{m['id']}", UploadRules(
        m["formats"], int(float(m["max_size_mb"]) * MB), m["name"])) for m in guide.materials}
    for spec in schema.fields:
        if spec.type == "file":
            formats = [a.lstrip(".") for a in spec.accept if a.startswith(".")] or ["pdf", "jpg", "png"]
            targets[spec.name] = (spec.name, UploadRules(formats, spec.max_size or 10 * MB, spec.label.zh))
    return targets


def keep_upload(session: Session, store: UploadStore, guide, schema: FormSchema, owner: str, *,
                material_id: str | None, field: str | None, filename: str, stream) -> Upload:
    """One file for one material (or form file field) of the item, checked against its rules and kept for
    ``owner`` (the API's upload; the portal's form does the same per file). Raises UploadRefused."""
    if bool(material_id) == bool(field):
        raise UploadRefused("purpose_required", "请指明文件所属的材料（materialId）或表单字段（field）之一",
                            "name exactly one of the material (materialId) or the form field (field)")
    purpose = f"{MATERIAL}{material_id}" if material_id else field
    target = upload_targets(guide, schema).get(purpose)
    if target is None:
        raise UploadRefused("unknown_purpose", "该事项没有这项材料或文件字段",
                            "the item has no such material or file field")
    return store.accept(session, owner=owner, item_code=guide.code, purpose=purpose, filename=filename,
                        stream=stream, rules=target[1])


def uploaded_files(database, owner: str, item_code: str, requested: dict[str, list[str]]) -> dict[str, list[dict]]:
    """``uploaded_material_files`` in a unit of work of its own: only ``owner``'s uploads are read, wherever they
    were received."""
    from tongban.tenants.isolation import TenantContext

    if not any(requested.values()):
        return {}
    with database.unit_of_work(TenantContext.system(f"uploads named by {owner}")) as session:
        return uploaded_material_files(session, owner, item_code, requested)


def uploaded_material_files(session: Session, owner: str, item_code: str,
                            requested: dict[str, list[str]]) -> dict[str, list[dict]]:
    """The files an application or a supplement names by upload id, per material id: each must be ``owner``'s
    own upload for that material of ``item_code`` (its format and size were checked on arrival), else a
    field-level SubmissionInvalid. Returns the engine's descriptors (name, size, type as stored, not as sent)."""
    owned = owned_uploads(session, owner, [t for tokens in requested.values() for t in tokens])
    errors, found = [], {}
    for material_id, tokens in requested.items():
        for token in tokens:
            upload = owned.get(token)
            if upload is None or upload.item_code != item_code or upload.purpose != f"{MATERIAL}{material_id}":
                errors.append({"path": f"materials.{material_id}", "code": "unknown_upload",
                               "zh": f"找不到为该材料上传的文件“{token}”，请先上传",
                               "en": f"no file {token!r} was uploaded for this material; upload it first"})
        if tokens:
            found[material_id] = [owned[t].descriptor() for t in tokens if t in owned]
    if errors:
        raise SubmissionInvalid(errors)
    return found



def other_problems(item_code: str, schema: FormSchema, materials: list[dict], attempt: Attempt, applicant: dict,
                   uploads: dict[str, Upload], file_fields: set[str]) -> list[dict]:
    """What the engine would also refuse in this application — the form's fields and the materials' presence
    (``materials``: the item version's specs), by the engine's own rules (``validate_submission``,
    ``materials.assess``) — for a page that must stop on an upload problem: every problem is told at once
    (一次性告知), not one round after another."""
    from tongban.configurator.forms import validate_submission
    from tongban.configurator.forms.values import to_cel
    from tongban.platform.approval import materials as material_rules

    application = application_of(item_code, attempt, applicant, uploads, file_fields)
    result = validate_submission(schema, application.form_data, identity=applicant)
    found = [{"path": e.path, "code": e.code, "zh": e.message_zh, "en": e.message_en} for e in result.errors]
    _statuses, missing = material_rules.assess(materials, to_cel(result.cleaned), application.files,
                                               application.licenses)
    return found + missing


def already_kept(upload: Upload, kept: list[Upload]) -> bool:
    """Whether the same file (same bytes) is already among the material's kept uploads: choosing it again after
    a refused attempt must not hand it in twice."""
    return any(k.sha256 == upload.sha256 and k.token != upload.token for k in kept)


def forget_upload(session: Session, store: UploadStore, upload: Upload) -> None:
    """Drop an upload just stored (its row and its file)."""
    from tongban.platform.files.store import remove_file

    session.delete(upload)
    session.flush()
    remove_file(store, upload)
