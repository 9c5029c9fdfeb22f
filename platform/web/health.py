"""Liveness (the process answers) and readiness (database reachable and migrated, directory loaded)."""
from __future__ import annotations

import os

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def readyz(request: Request) -> JSONResponse:
    checks = {}
    try:
        with request.app.state.database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            checks["migration"] = revision or "none"
        checks["tenants"] = len(request.app.state.directory.snapshot.by_code)
    except Exception as error:  # readiness reports, it does not raise
        checks["error"] = type(error).__name__
        return JSONResponse({"status": "unavailable", "checks": checks, "worker": os.getpid()}, status_code=503)
    return JSONResponse({"status": "ready", "checks": checks, "worker": os.getpid()})


routes = [Route("/healthz", healthz), Route("/readyz", readyz)]
