"""Calls the platform makes to addresses other people registered — a relying party's back-channel logout URI,
a vertical system's webhook — must not reach inside the deployment (server-side request forgery): in
production the URL must be https and every address its host resolves to must be a public one (not loopback,
private, link-local, shared or reserved), and redirects are not followed. Development and tests keep
``http://localhost`` receivers working.

``post`` looks the name up once, checks what it found and connects only to those addresses: a name re-pointed
between the check and the connection (DNS rebinding) is never looked up a second time. TLS still verifies the
certificate against the name. Where the operator routes egress through a proxy (``HTTPS_PROXY``/``HTTP_PROXY``,
``NO_PROXY``), the proxy makes the connection and the operator's egress policy applies there.
"""
from __future__ import annotations

import ipaddress
import os
import socket
import urllib.request
from urllib.parse import urlsplit

import httpcore


class OutboundRefused(Exception):
    """The destination is not a public https address (production)."""


def production() -> bool:
    return os.environ.get("TONGBAN_ENV", "development").lower() == "production"


def require_public(url: str, *, resolve=socket.getaddrinfo, enforce: bool | None = None) -> list[str] | None:
    """The public addresses ``url``'s host resolves to, in the resolver's order, or OutboundRefused; None when
    nothing is enforced (outside production)."""
    if not (production() if enforce is None else enforce):
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise OutboundRefused(f"only https URLs are called in production, not {parts.scheme or '?'}://")
    try:
        found = resolve(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as error:
        raise OutboundRefused(f"cannot resolve {parts.hostname}: {error}") from None
    addresses = []
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            raise OutboundRefused(f"{parts.hostname} resolves to the non-public address {address}")
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise OutboundRefused(f"{parts.hostname} resolves to no address")
    return addresses


def post(url: str, *, content: bytes, headers: dict[str, str], timeout: float,
         resolve=socket.getaddrinfo) -> int:
    """POST ``content`` to a registered address and return the answer's HTTP status (a redirect is an answer, never
    followed). In production the connection goes only to the addresses ``require_public`` approved."""
    addresses = require_public(url, resolve=resolve)
    proxy = _proxy_for(url)
    if proxy is not None:
        pool = httpcore.ConnectionPool(proxy=httpcore.Proxy(proxy))
    else:
        pool = httpcore.ConnectionPool(network_backend=None if addresses is None else _PinnedBackend(addresses))
    limits = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    with pool:
        return pool.request("POST", url, headers=headers, content=content, extensions={"timeout": limits}).status


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the approved addresses, one after the other, whatever host name the connection is for."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        failure = None
        for address in self.addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure


def _proxy_for(url: str) -> str | None:
    """The egress proxy the environment names for ``url`` (``NO_PROXY`` honoured), if any."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy
