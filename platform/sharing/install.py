"""Wiring the sharing center into the rest of the platform (called once by the app factory and the worker)."""
from __future__ import annotations


def register_issuer() -> None:
    """Put the library's writer in the approval engine's ISSUERS hook list (idempotent)."""
    from tongban.platform.approval import certificates
    from tongban.platform.sharing.issuing import issue_from_case

    if issue_from_case not in certificates.ISSUERS:
        certificates.ISSUERS.append(issue_from_case)
