"""Standard notices and certificates: jinja2 templates rendered to PDF (weasyprint, Noto CJK fonts) with a
QR code (segno) that leads to the public check of the document.

A notice is dated the day of the act it records (受理, 补正 request, 不予受理, the decision, the certificate's
issue), in Beijing time, so a reprint reads as the original did. Its QR code leads to the platform's public
address (``TONGBAN_PUBLIC_URL``, see :func:`public_address`), not to whatever host the printing clerk used."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.flows.errors import UnknownNode
from tongban.configurator.flows.model import NodeKind
from tongban.platform.approval.errors import NotAllowed
from tongban.platform.approval.flowcache import flow_of
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial
from tongban.platform.calendar.working_days import last_day
from tongban.platform.web.templating import THEMES
from tongban.tenants.models import Tenant

BEIJING = ZoneInfo("Asia/Shanghai")
KINDS = {
    "acceptance": ("受理通知书", "Notice of acceptance"),
    "supplement": ("补正告知书", "Notice to supplement"),
    "refusal": ("不予受理通知书", "Notice of refusal to accept"),
    "approval": ("准予许可决定书", "Decision to grant"),
    "rejection": ("不予许可决定书", "Decision to refuse"),
    "certificate": ("证书", "Certificate"),
}


@dataclass(frozen=True)
class Document:
    kind: str
    title_zh: str
    html: str
    verify_url: str

    def pdf(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=self.html, base_url=str(THEMES)).write_pdf()


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(THEMES / "base" / "templates" / "documents")),
                      autoescape=select_autoescape(default=True))
    env.filters["bj"] = lambda value: value.astimezone(BEIJING).strftime("%Y年%m月%d日") if value else ""
    env.filters["bj_year"] = lambda value: value.astimezone(BEIJING).year if value else ""
    env.filters["due"] = lambda value: last_day(value).strftime("%Y年%m月%d日") if value else ""  # exclusive instants
    return env


_ENV = _environment()


def available(case: Case) -> list[str]:
    kinds = []
    if case.accepted_at:
        kinds.append("acceptance")
    if case.supplement_requests:
        kinds.append("supplement")
    if case.state == "refused":
        kinds.append("refusal")
    if case.state == "concluded":
        kinds.append("approval" if case.result == "approved" else "rejection")
    if case.certificate_number:
        kinds.append("certificate")
    return kinds


def render(session: Session, case: Case, kind: str, *, public_url: str) -> Document:
    if kind not in available(case):
        raise NotAllowed("no_such_document", "该办件没有此类文书", f"this case has no {kind} document")
    if kind == "certificate":
        issued = _license_document(session, case, public_url)
        if issued is not None:
            return issued
    tenant = session.get(Tenant, case.tenant_id)
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
    materials = list(session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id)))
    target = f"{public_url.rstrip('/')}/verify/{case.certificate_number}" if kind == "certificate" else \
        f"{public_url.rstrip('/')}/progress?number={case.number}"
    qr = Markup(segno.make(target, error="m").svg_inline(scale=3))
    title_zh, title_en = KINDS[kind]
    html = _ENV.get_template(f"{kind}.html").render(
        case=case, tenant=tenant, title_zh=title_zh, title_en=title_en, qr=qr, verify_url=target,
        supplement=_last(events, "request_supplement"), refusal=_last(events, "refuse"), materials=materials,
        applicant=_masked(case.applicant), dated=dated(session, case, kind, events))
    return Document(kind, title_zh, html, target)


def dated(session: Session, case: Case, kind: str, events: list[CaseEvent]) -> datetime | None:
    """The instant of the act the document records — never the moment it is printed: 受理 for the acceptance
    notice, the (last) 补正 request for the notice to supplement, 不予受理 for the refusal, the decision for a
    决定书, the certificate node's approval (its issue) for the certificate."""
    if kind == "acceptance":
        return case.accepted_at
    if kind == "supplement":
        found = _last(events, "request_supplement")
        return found.at if found else None
    if kind == "refusal":
        found = _last(events, "refuse")
        return found.at if found else case.concluded_at
    if kind in ("approval", "rejection"):
        return case.decided_at or case.concluded_at  # a flow without a 决定 step decides as it concludes
    if kind == "certificate":
        issued = _certificate_issued(session, case, events)
        return issued or case.concluded_at or case.decided_at
    return None


def _certificate_issued(session: Session, case: Case, events: list[CaseEvent]) -> datetime | None:
    """When the certificate node was approved (the certificate issued); None for a case whose certificate came
    from elsewhere (a report-up's upper case)."""
    approvals = [e for e in events if e.action == "approve" and e.node_id]
    if not approvals:
        return None
    flow = flow_of(session, case.version_id)
    for event in reversed(approvals):
        try:
            if flow.node(event.node_id).kind is NodeKind.ISSUE_CERTIFICATE:
                return event.at
        except UnknownNode:
            continue
    return None


def public_address(configured: str | None, origin: str, *, site: str = "", tenant_code: str | None = None) -> str:
    """Where a citizen's phone reaches the platform, for a QR code or a link on paper.

    ``configured`` is the operator's public address (``TONGBAN_PUBLIC_URL``, e.g. ``https://zwfw.hainan.gov.cn``):
    with it, a tenant's site is its ``/t/<code>`` path there (it works on every host). Without it, the address
    the request came to, as before: ``origin`` (scheme://host[:port]) and the tenant's ``site`` root on that host
    ('' or /t/<code>). Leave ``tenant_code`` and ``site`` out for the platform's root (e.g. /verify/...)."""
    if configured:
        return configured.rstrip("/") + (f"/t/{tenant_code}" if tenant_code else "")
    return origin.rstrip("/") + site


def _license_document(session: Session, case: Case, public_url: str) -> Document | None:
    """The certificate is the e-license the case issued, printed from the library in its type's template (营业执照
    with the USCC, scope and address...) — the same content the QR code's verification page shows."""
    from tongban.platform.sharing.documents import render as license_pdf
    from tongban.platform.sharing.models import License, LicenseType

    row = session.scalar(select(License).where(License.number == case.certificate_number))
    if row is None:
        return None  # issued before the library kept it: the plain certificate below
    ltype = session.get(LicenseType, row.type_code)
    printed = license_pdf(session, row, public_url=public_url)
    return Document("certificate", ltype.name_zh if ltype else KINDS["certificate"][0], printed.html,
                    printed.verify_url)


def _last(events: list[CaseEvent], action: str) -> CaseEvent | None:
    found = [e for e in events if e.action == action]
    return found[-1] if found else None


def _masked(applicant: dict) -> dict:
    """What a printed notice shows: the name, and the ID number with its middle hidden."""
    number = str(applicant.get("id_number") or "")
    masked = f"{number[:6]}********{number[-4:]}" if len(number) == 18 else number
    return {**applicant, "id_number": masked}
