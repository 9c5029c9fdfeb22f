"""A license as a PDF (weasyprint, Noto CJK) in its type's certificate template, with a QR code (segno) to
the public verification page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from tongban.platform.db import as_utc, utcnow
from tongban.platform.sharing.library import BEIJING, STATUSES
from tongban.platform.sharing.models import License, LicenseType
from tongban.platform.sharing.verification import mask_holder_id, public_fields
from tongban.platform.web.templating import THEMES
from tongban.tenants.models import Tenant

_ENV = Environment(loader=FileSystemLoader(str(THEMES / "base" / "templates" / "sharing")),
                   autoescape=select_autoescape(default=True))


@dataclass(frozen=True)
class LicenseDocument:
    number: str
    html: str
    verify_url: str

    def pdf(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=self.html, base_url=str(THEMES)).write_pdf()


def verify_url(public_url: str, number: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{number}"


def render(session: Session, license_: License, *, public_url: str, now: datetime | None = None) -> LicenseDocument:
    """The certificate as its holder prints it: the holder's own data in full, except the ID number, which
    is masked as on every printed notice. Its status is the one on the day it was printed (``now``): paper does not
    learn of a revocation, so it sends the reader to the QR code for the status today."""
    ltype = session.get(LicenseType, license_.type_code)
    tenant = session.get(Tenant, license_.issuer_tenant)
    target = verify_url(public_url, license_.number)
    qr = Markup(segno.make(target, error="m").svg_inline(scale=3))
    template = (ltype.template if ltype else None) or {}
    html = _ENV.get_template("license_pdf.html").render(
        license=license_, title_zh=template.get("title_zh") or license_.type_code,
        title_en=template.get("title_en") or "", accent=template.get("accent") or "#b3261e",
        fields=public_fields(ltype, license_.content, masked=False), issuer=tenant.name if tenant else "",
        holder_id=mask_holder_id(license_.holder_kind, license_.holder_id),
        status=STATUSES.get(license_.status, (license_.status, license_.status)), qr=qr, verify_url=target,
        issued_day=as_utc(license_.issued_at).astimezone(BEIJING).date(),  # the day in Hainan, not in UTC
        printed_day=(now or utcnow()).astimezone(BEIJING).date())
    return LicenseDocument(license_.number, html, target)
