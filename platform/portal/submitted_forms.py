"""The apply forms this browser submitted lately, so that Back (which fetches the no-store apply page again) shows
the same application — its one-time submission key and a notice with the case number — instead of a new one.

A signed cookie holds, for the signed-in person, each recent form's tenant and item with its key and case number
(a few, for an hour). It only chooses which key the page renders: the engine binds keys to the applicant, so a
cookie of someone else's names nothing of yours. "开始新的申请" forgets the form and renders a fresh key.
"""
from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "tb_portal_submitted"
TTL = 3600  # seconds a submitted form is remembered
KEPT = 5  # forms remembered at once


@dataclass(frozen=True)
class Submitted:
    key: str
    number: str


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="tongban.portal.submitted-forms")


def _forms(request: Request, secret_key: str, subject: str) -> dict[str, list[str]]:
    try:
        kept = _serializer(secret_key).loads(request.cookies.get(COOKIE, ""), max_age=TTL)
    except BadSignature:
        return {}
    if not isinstance(kept, dict) or kept.get("subject") != subject or not isinstance(kept.get("forms"), dict):
        return {}
    return kept["forms"]


def recent(request: Request, secret_key: str, subject: str, form: str) -> Submitted | None:
    """The submission this browser made lately with ``form`` (tenant code/item code), if any."""
    hit = _forms(request, secret_key, subject).get(form)
    return Submitted(str(hit[0]), str(hit[1])) if isinstance(hit, list) and len(hit) == 2 else None


def remember(request: Request, response: Response, secret_key: str, subject: str, form: str, submitted: Submitted
             ) -> None:
    forms = {k: v for k, v in _forms(request, secret_key, subject).items() if k != form}
    forms = dict(list(forms.items())[-(KEPT - 1):]) if KEPT > 1 else {}
    forms[form] = [submitted.key, submitted.number]
    _write(response, secret_key, subject, forms)


def forget(request: Request, response: Response, secret_key: str, subject: str, form: str) -> None:
    forms = _forms(request, secret_key, subject)
    if form in forms:
        _write(response, secret_key, subject, {k: v for k, v in forms.items() if k != form})


def _write(response: Response, secret_key: str, subject: str, forms: dict) -> None:
    value = _serializer(secret_key).dumps({"subject": subject, "forms": forms})
    response.set_cookie(COOKIE, value, max_age=TTL, httponly=True, samesite="lax", path="/")
