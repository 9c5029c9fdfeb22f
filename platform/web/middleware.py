"""Plain ASGI middleware that puts the request id and the resolved tenant into the scope, and logs."""
from __future__ import annotations

import time
import os

from tongban.platform.web.logs import log_request
from tongban.tenants.resolution import TenantResolutionError, resolve_request

EXEMPT_PREFIXES = ("/healthz", "/readyz", "/static/")


class RequestContextMiddleware:
    def __init__(self, app, *, directory, base_domain: str, log: bool = True) -> None:
        self.app = app
        self.directory = directory
        self.base_domain = base_domain
        self.log = log

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        request_id = _request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status_holder = {"status": 500}
        self._resolve(scope, state)

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.log:
                tenant = state.get("tenant")
                log_request(request_id=request_id, method=scope["method"], path=scope["path"],
                            status=status_holder["status"], tenant=tenant.code if tenant else None,
                            ms=round((time.perf_counter() - started) * 1000, 2))

    def _resolve(self, scope, state) -> None:
        path = scope["path"]
        if self.directory is None or path.startswith(EXEMPT_PREFIXES):
            return
        try:
            resolution = resolve_request(self.directory.snapshot, _host(scope), path, self.base_domain)
        except TenantResolutionError as error:
            state["tenant_error"] = error
            return
        state["tenant"] = resolution.tenant
        state["tenant_via"] = resolution.via
        if resolution.prefix:
            scope["root_path"] = scope.get("root_path", "") + resolution.prefix


def _request_id(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id" and 8 <= len(value) <= 64:
            return value.decode("latin-1")
    return os.urandom(16).hex()


def _host(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return value.decode("latin-1")
    server = scope.get("server")
    return server[0] if server else "localhost"
