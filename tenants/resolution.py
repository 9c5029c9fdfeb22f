"""Which tenant a request is for: by ``/t/<code>/`` path prefix, by host name, or by explicit argument.

Pure functions over a directory snapshot; the web layer turns the errors into 404/403 pages.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from tongban.tenants.directory import Snapshot, TenantInfo

PREFIX = re.compile(r"^/t/(\d{2,12})(?=/|$)")
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}


class TenantResolutionError(LookupError):
    status = 404
    code = "tenant_unknown"

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


class UnknownTenant(TenantResolutionError):
    pass


class SuspendedTenant(TenantResolutionError):
    status = 403
    code = "tenant_suspended"

    def __init__(self, tenant: TenantInfo):
        self.tenant = tenant
        super().__init__(tenant.code)


class Resolution(NamedTuple):
    tenant: TenantInfo
    via: str  # "path", "host", "argument" or "default"
    prefix: str = ""  # the path prefix to keep in generated links ("/t/460105100")


MEMO_LIMIT = 4096


def resolve_request(snapshot: Snapshot, host: str, path: str, base_domain: str) -> Resolution:
    """Memoised per snapshot by (host, path prefix): a warm request costs two dictionary look-ups."""
    prefix = ""
    if path[:3] == "/t/":
        end = path.find("/", 3)
        prefix = path if end < 0 else path[:end]
    key = (host, prefix)
    memo = snapshot.memo  # one snapshot serves one base domain: the app's
    hit = memo.get(key)
    if hit is None:
        try:
            hit = _resolve(snapshot, host, path, base_domain)
        except TenantResolutionError as error:
            hit = error
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = hit
    if isinstance(hit, TenantResolutionError):
        raise hit
    return hit


def _resolve(snapshot: Snapshot, host: str, path: str, base_domain: str) -> Resolution:
    match = PREFIX.match(path)
    if match:
        return Resolution(by_code(snapshot, match.group(1)), "path", match.group(0))
    if path.startswith("/t/"):
        raise UnknownTenant(path.split("/")[2])
    return resolve_host(snapshot, host, base_domain)


def resolve_host(snapshot: Snapshot, host: str, base_domain: str) -> Resolution:
    name = host.split(":")[0].lower().rstrip(".") if not host.startswith("[") else host.lower()
    if name in snapshot.by_host:
        return Resolution(_usable(snapshot.by_host[name]), "host")
    if name.endswith("." + base_domain):
        label = name[: -len(base_domain) - 1].split(".")[0]
        tenant = snapshot.by_slug.get(label) or snapshot.by_code.get(label)
        if tenant is None:
            raise UnknownTenant(name)
        return Resolution(_usable(tenant), "host")
    if name == base_domain or name in LOOPBACK_HOSTS:
        if snapshot.root is None:
            raise UnknownTenant(name)
        return Resolution(_usable(snapshot.root), "default")
    raise UnknownTenant(name)


def by_code(snapshot: Snapshot, code: str) -> TenantInfo:
    tenant = snapshot.by_code.get(code)
    if tenant is None:
        raise UnknownTenant(code)
    return _usable(tenant)


def _usable(tenant: TenantInfo) -> TenantInfo:
    if not tenant.active:
        raise SuspendedTenant(tenant)
    return tenant
