"""Shared test helpers importable from any test module (tests/support is put on sys.path by conftest)."""
import os

import pytest

ON_POSTGRES = bool(os.environ.get("TONGBAN_TEST_POSTGRES_URL"))
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs TONGBAN_TEST_POSTGRES_URL (CI's PostgreSQL pass)")


def tenant_context(db, code):
    """The TenantContext of ``code`` (with its path), as a request for that tenant would have."""
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        return TenantContext.of(s.get(Tenant, code))


def tenant_row(db, code):
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        return s.get(Tenant, code)


def serving(app):
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port in a thread: a context manager yielding the port, the
    server stopped after (the live-server fixtures of the browser, GraphQL and identity tests share it)."""
    import socket
    import threading
    import time
    from contextlib import contextmanager

    import uvicorn

    @contextmanager
    def running():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "uvicorn did not start"
        try:
            yield port
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    return running()
