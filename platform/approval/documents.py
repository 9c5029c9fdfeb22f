"""Standard notices and certificates: jinja2 templates rendered to PDF (weasyprint, Noto CJK fonts) with a
QR code (segno) that leads to the public check of the document."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.errors import NotAllowed
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
        applicant=_masked(case.applicant), today=datetime.now(BEIJING).strftime("%Y年%m月%d日"))
    return Document(kind, title_zh, html, target)


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
