"""What a case waits on its applicant for, and the applicant's answers in the portal (我的办件): the 一次性告知
list of a case returned for supplements, the 容缺 materials still awaited with their due dates, and
withdrawing (撤回) before a decision.

The page offers what the case's state allows; the approval engine decides (``supply``, ``withdraw``) and its
refusals come back as field errors. Files are checked as at application time — each material's formats and
size from the case's own item version, the type from the bytes — and kept in the handling tenant, where the
engine marks them as the case's in the transaction of the supply. Refused, nothing is kept.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.errors import ApprovalError, SubmissionInvalid
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.guards import STATE_LABELS
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial
from tongban.platform.db import as_utc
from tongban.platform.files.models import Upload
from tongban.platform.files.store import UploadRefused, UploadStore, remove_file
from tongban.platform.portal import applying
from tongban.platform.portal.guide import build_guide, material_view
from tongban.tenants.isolation import TenantContext

SUPPLY, RONGQUE, WITHDRAW = "supply", "rongque", "withdraw"
WITHDRAWABLE = ("submitted", "supplement", "in_progress")  # and no decision yet; the engine checks again
NOTE_LIMIT = 1000


@dataclass(frozen=True)
class Awaiting:
    """One of the applicant's cases and what it waits on them for."""

    case_id: int
    number: str
    tenant_code: str
    item_code: str
    version_id: int
    revision: int
    supplement: dict | None = None  # the 一次性告知: missing, comment, since, resume
    rongque: list[dict] = field(default_factory=list)  # material_id, name, due_at, overdue, upload rules
    may_withdraw: bool = False

    def uploads_for(self, kind: str) -> list[str]:
        """The material ids a form of ``kind`` takes files for."""
        if kind == SUPPLY:
            return [m["material_id"] for m in (self.supplement or {}).get("missing", []) if m.get("upload")]
        return [m["material_id"] for m in self.rongque] if kind == RONGQUE else []

    def page(self) -> dict:
        """What the case page shows (plain data for the template)."""
        return {"revision": self.revision, "supplement": self.supplement, "rongque": self.rongque,
                "may_withdraw": self.may_withdraw}


def awaiting(session: Session, number: str, subject: str, now: datetime) -> Awaiting | None:
    """The case if ``subject`` applied for it (else None, as if there were no such case) with what it awaits."""
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or case.applicant_subject != subject:
        return None
    content = version_parts(session, case.version_id)[2]
    specs = {m["id"]: material_view(m) for m in content.get("materials") or []}
    return Awaiting(case.id, case.number, case.tenant_id, case.item_code, case.version_id, case.revision,
                    _supplement(session, case, specs), _rongque(session, case, specs, now),
                    case.state in WITHDRAWABLE and case.decided_at is None)


def _supplement(session: Session, case: Case, specs: dict) -> dict | None:
    if case.state != "supplement":
        return None
    request = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                     CaseEvent.action == "request_supplement")
                             .order_by(CaseEvent.seq.desc()).limit(1))
    details = request.details if request is not None and isinstance(request.details, dict) else {}
    missing, offered = [], set()
    for entry in details.get("missing") or []:
        if isinstance(entry, dict):
            missing.append(_missing(entry, specs, offered))
    resume = details.get("resume_state") or ("in_progress" if case.accepted_at else "submitted")
    return {"missing": missing, "comment": request.comment if request is not None else "",
            "since": request.at if request is not None else None, "resume": STATE_LABELS.get(resume)}


def _missing(entry: dict, specs: dict, offered: set[str]) -> dict:
    """One line of the list; a material of the item gets an upload (once, however often it is listed)."""
    material_id = str(entry.get("material_id") or "")
    spec = specs.get(material_id)
    upload = spec is not None and material_id not in offered
    offered.add(material_id)
    name = str(entry.get("name") or (spec or {}).get("name") or material_id)
    return {"material_id": material_id, "name": name, "note": str(entry.get("note") or ""), "upload": upload,
            **_rules(spec)}


def _rongque(session: Session, case: Case, specs: dict, now: datetime) -> list[dict]:
    if case.state != "in_progress":
        return []
    rows = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                      CaseMaterial.status == "rongque").order_by(CaseMaterial.id))
    return [{"material_id": row.material_id, "name": row.name, "due_at": row.supply_due_at,
             "overdue": row.supply_due_at is not None and as_utc(row.supply_due_at) < as_utc(now),
             **_rules(specs.get(row.material_id))} for row in rows if row.material_id in specs]


def _rules(spec: dict | None) -> dict:
    if spec is None:
        return {}
    return {"formats": spec["formats"], "max_size_mb": spec["max_size_mb"],
            "accept": ",".join("." + f for f in spec["formats"])}


@dataclass
class Answer:
    """What the applicant posted for one form of the case page."""

    kind: str  # SUPPLY or RONGQUE
    files: dict[str, list[tuple[str, BinaryIO]]]  # material id → (file name, stream)
    note: str = ""
    material_id: str | None = None  # a RONGQUE form hands in one material
    revision: int | None = None  # the case revision the page showed


def hand_in(database, store: UploadStore, approval, place: TenantContext, case: Awaiting, actor,
            answer: Answer) -> list[dict]:
    """Keep the files, then the engine's ``supply``; returns field errors ({path, code, zh, en}), empty when
    handed in. On any error nothing is kept and the case is unchanged."""
    wanted = case.uploads_for(answer.kind)
    if answer.kind == RONGQUE:
        if answer.material_id not in wanted:
            return [_error(f"{RONGQUE}.materials.{answer.material_id}", "not_rongque", "该材料无需补交",
                           "this material is not awaited")]
        wanted = [answer.material_id]
    kept, errors = _keep(database, store, place, case, actor.subject, answer, wanted)
    if errors:
        return errors
    files = {material_id: [u.descriptor() for u in uploads] for material_id, uploads in kept.items()}
    try:
        approval.act(case.case_id, "supply", actor, files=files, comment=answer.note.strip()[:NOTE_LIMIT],
                     upload_ids=tuple(u["id"] for given in files.values() for u in given),
                     expected_revision=answer.revision)
    except ApprovalError as refused:
        _discard(database, store, place, [u.token for ups in kept.values() for u in ups])
        whole = f"{RONGQUE}.materials.{answer.material_id}" if answer.kind == RONGQUE else SUPPLY
        return refusal_errors(answer.kind, refused, whole)
    return []


def _keep(database, store: UploadStore, place: TenantContext, case: Awaiting, owner: str, answer: Answer,
          wanted: list[str]) -> tuple[dict[str, list[Upload]], list[dict]]:
    """Each wanted material's files, checked and stored; a file refused (or none given) is a field error and
    then nothing is kept."""
    targets = _targets(database, case)
    kept: dict[str, list[Upload]] = {}
    try:
        with database.unit_of_work(place) as session:
            errors = [error for material_id in wanted
                      for error in _keep_one(session, store, owner, case, answer, material_id, targets, kept)]
            if errors:
                raise _NothingKept(errors)
    except _NothingKept as refused:
        _remove(store, [u for ups in kept.values() for u in ups])
        return {}, refused.errors
    return kept, []


class _NothingKept(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("files refused")
        self.errors = errors


def _targets(database, case: Awaiting) -> dict:
    """What the case's own item version takes for each material (formats, size), as at application time."""
    with database.unit_of_work(TenantContext.system(f"item version of case {case.number}")) as session:
        _, schema, content = version_parts(session, case.version_id)
    return applying.upload_targets(build_guide(content, case.item_code, 0, case.version_id), schema)


def _keep_one(session: Session, store: UploadStore, owner: str, case: Awaiting, answer: Answer,
              material_id: str, targets: dict, kept: dict[str, list[Upload]]) -> list[dict]:
    path, rules = targets[f"{applying.MATERIAL}{material_id}"]
    where, errors = f"{answer.kind}.{path}", []
    for name, stream in answer.files.get(material_id, []):
        try:
            kept.setdefault(material_id, []).append(store.accept(
                session, owner=owner, item_code=case.item_code, purpose=f"{applying.MATERIAL}{material_id}",
                filename=name, stream=stream, rules=rules))
        except UploadRefused as refused:
            errors.append(_error(where, refused.code, refused.zh, refused.en))
    if not errors and material_id not in kept:
        errors.append(_error(where, "file_required", f"请上传“{rules.label}”",
                             f"upload the file for {rules.label!r}"))
    return errors


def _discard(database, store: UploadStore, place: TenantContext, tokens: Iterable[str]) -> None:
    with database.unit_of_work(place) as session:
        uploads = list(session.scalars(select(Upload).where(Upload.token.in_(list(tokens)))))
        for upload in uploads:
            session.delete(upload)
    _remove(store, uploads)


def _remove(store: UploadStore, uploads: Iterable[Upload]) -> None:
    for upload in uploads:
        remove_file(store, upload)


def withdraw(approval, case: Awaiting, actor, reason: str, revision: int | None) -> list[dict]:
    """撤回 through the engine; its refusal (a decision was made, the case changed) as a field error."""
    try:
        approval.act(case.case_id, "withdraw", actor, reason=reason.strip()[:NOTE_LIMIT],
                     expected_revision=revision)
    except ApprovalError as refused:
        return refusal_errors(WITHDRAW, refused, WITHDRAW)
    return []


def withdrawal_refused(case: Awaiting) -> list[dict]:
    """Why the case can no longer be withdrawn (asked before the confirmation page; the engine decides)."""
    if case.may_withdraw:
        return []
    return [_error(WITHDRAW, "decided", "办件已作出决定或已经结束，不能撤回",
                   "a decision was made or the case has ended; it cannot be withdrawn")]


def refusal_errors(form: str, refused: ApprovalError, whole: str) -> list[dict]:
    """The engine's refusal as field errors of ``form``: at the field it names, else at ``whole``."""
    if isinstance(refused, SubmissionInvalid):
        return [_error(f"{form}.{e['path']}" if e.get("path") else whole, e.get("code", "invalid"),
                       e.get("zh", ""), e.get("en", "")) for e in refused.errors]
    return [_error(f"{form}.{refused.field}" if refused.field else whole, refused.code, refused.zh, refused.en)]


def _error(path: str, code: str, zh: str, en: str) -> dict:
    return {"path": path, "code": code, "zh": zh, "en": en}
