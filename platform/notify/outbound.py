"""Calls the platform makes to addresses other people registered — a relying party's back-channel logout URI,
a vertical system's webhook — must not reach inside the deployment (server-side request forgery): in
production the URL must be https and every address its host resolves to must be a public one (not loopback,
private, link-local, shared or reserved), and redirects are not followed. Development and tests keep
``http://localhost`` receivers working.

The check runs right before each call, on what the name resolves to then; a name re-pointed between the check
and the connection (DNS rebinding) is the residual risk an egress proxy or firewall closes.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit


class OutboundRefused(Exception):
    """The destination is not a public https address (production)."""


def production() -> bool:
    return os.environ.get("TONGBAN_ENV", "development").lower() == "production"


def require_public(url: str, *, resolve=socket.getaddrinfo, enforce: bool | None = None) -> None:
    """Raise OutboundRefused unless ``url`` may be called (always allowed outside production)."""
    if not (production() if enforce is None else enforce):
        return
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise OutboundRefused(f"only https URLs are called in production, not {parts.scheme or '?'}://")
    try:
        found = resolve(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as error:
        raise OutboundRefused(f"cannot resolve {parts.hostname}: {error}") from None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            raise OutboundRefused(f"{parts.hostname} resolves to the non-public address {address}")
