"""One-time submission keys (防重复提交): each rendered application form — and an API client's ``idempotencyKey`` —
carries a key; the first submission with it stores the key with its case, in the case's unit of work, and any
later one (Back and submit again, a retry after a timeout, two at once) is answered with that case instead of a
new one. A key is bound to the applicant and the handling tenant: another person's key names nothing of yours.
"""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.errors import Conflict, SubmissionInvalid
from tongban.platform.approval.models import Case, SubmissionKey

KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
PATH = "submission_key"


def new_key() -> str:
    """A fresh key for a form about to be rendered."""
    return secrets.token_urlsafe(18)


def checked(key: str | None) -> str | None:
    """The key as given, None when there is none; a malformed key is a field error (nothing is written)."""
    if key is None or key == "":
        return None
    if not KEY.match(key):
        raise SubmissionInvalid([{"path": PATH, "code": "invalid_submission_key",
                                  "zh": "提交凭据须为 8 至 64 位字母、数字或 _ . : -",
                                  "en": "a submission key is 8 to 64 letters, digits or _ . : -"}])
    return key


def earlier_case(session: Session, tenant_code: str, applicant_subject: str, key: str, item_code: str) -> Case | None:
    """The case the applicant's earlier submission with ``key`` created here; a key used for another item is refused."""
    case = session.scalar(select(Case).join(SubmissionKey, SubmissionKey.case_id == Case.id).where(
        SubmissionKey.tenant_id == tenant_code, SubmissionKey.applicant_subject == applicant_subject,
        SubmissionKey.key == key))
    if case is not None and case.item_code != item_code:
        raise Conflict("submission_key_reused", "该提交凭据已用于另一事项的申请，请刷新页面后重新填写",
                       "this submission key was used for an application for another item; reload the form",
                       field=PATH)
    return case


def record(session: Session, case, key: str) -> None:
    """The key with its new case, a row of the case unit's batch (a concurrent first use of the key fails the unique
    constraint at commit, and the whole submission with it)."""
    from tongban.platform.approval.unit import CaseUnit

    CaseUnit.of(session).add_rows(SubmissionKey.__table__, [{"tenant_id": case.tenant_id, "key": key,
                                                            "case_id": case.id,
                                                            "applicant_subject": case.applicant_subject}])


def repeated(case: Case) -> dict:
    """What a repeated submission answers: the first one's case; its query code was shown once, with the first."""
    return {"id": case.id, "number": case.number, "query_code": None, "state": case.state, "opened": [],
            "repeated": True}
