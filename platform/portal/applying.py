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

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tongban.configurator.forms import FormSchema, prefill
from tongban.platform.approval.intake import Application
from tongban.platform.files.models import Upload
from tongban.platform.files.store import uploads_of
from tongban.platform.portal.models import ApplicationDraft
from tongban.platform.sharing.aids import ApplicationAids

MATERIAL = "mat."


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
    already holds (base data, earlier applications) for every field not locked to the account."""
    values = {name: entry["value"] for name, entry in prefill(schema, identity).items()}
    for name, entry in aids.prefill.items():
        spec = schema.by_name.get(name)
        if spec is None or spec.compute is not None or spec.type in ("file", "group"):
            continue
        if spec.locked and spec.prefill and identity.get(spec.prefill) not in (None, ""):
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
                       files={k: v for k, v in materials.items() if v}, licenses=licenses)


def attach_uploads(session: Session, owner: str, tokens: Iterable[str], case_number: str) -> None:
    """Mark the files handed in with the case that now holds them."""
    wanted = list(dict.fromkeys(tokens))
    if wanted:
        session.execute(update(Upload).where(Upload.token.in_(wanted), Upload.owner_subject == owner)
                        .values(case_number=case_number))
