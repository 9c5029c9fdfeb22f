"""Issuing the certificate of an approved case (制证). The number is stable and readable; the e-license
library (sharing room) stores and signs the license itself."""
from __future__ import annotations

from tongban.platform.approval.models import Case


def certificate_number(case: Case, license_type: str | None) -> str:
    prefix = (license_type or "CERT").upper().replace("_", "")[:20]  # BUSINESSLICENSE-4601-20261127-000001
    return f"{prefix}-{case.number}"


def issue(env, case: Case, license_type: str | None) -> str:
    number = certificate_number(case, license_type)
    hooks = getattr(env, "license_hooks", None) or ISSUERS
    for hook in hooks:
        hook(env, case, license_type, number)
    return number


ISSUERS: list = []  # the e-license library registers its writer here
