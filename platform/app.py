"""The Starlette app factory: `tongban serve` and the tests build the app here, never at import time."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from tongban.configurator.admin import web as admin_web
from tongban.configurator.publishing.cache import CatalogueCache
from tongban.graphql import api as graphql_api
from tongban.platform.approval.service import ApprovalService
from tongban.platform.db import Database
from tongban.platform.identity.web import routes as identity_routes
from tongban.platform.portal import web as portal_web
from tongban.platform.sharing import web as sharing_web
from tongban.platform.sharing.install import register_issuer
from tongban.platform.construction.service import register_listener as register_construction_listener
from tongban.platform.workbench import web as workbench_web
from tongban.platform.console import web as console_web
from tongban.platform.settings import Settings, load_settings
from tongban.platform.web import errors, health, pages
from tongban.platform.web.logs import configure_logging
from tongban.platform.web.middleware import RequestContextMiddleware
from tongban.platform.web.templating import BASE_STATIC, build_templates
from tongban.tenants.directory import TenantDirectory
from tongban.tenants.resolution import TenantResolutionError


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               request_logs: bool = True) -> Starlette:
    settings = settings or load_settings()
    configure_logging(settings.log_json)
    database = database or Database(settings.database_url)
    directory = TenantDirectory(database, ttl=settings.tenant_cache_seconds)

    async def tenant_error(request: Request, exc: TenantResolutionError):
        zh, en = errors.tenant_error_messages(exc)
        return errors.error_response(request, exc.status, zh, en, code=exc.code)

    app = Starlette(
        routes=[*health.routes, Mount("/static", StaticFiles(directory=BASE_STATIC), name="static"),
                *identity_routes, *graphql_api.routes, *sharing_web.routes,
                Mount("/workbench", routes=workbench_web.routes), Mount("/admin", routes=admin_web.routes),
                Mount("/supervision", routes=console_web.routes),
                *portal_web.routes, *pages.routes],
        middleware=[Middleware(RequestContextMiddleware, directory=directory, base_domain=settings.base_domain,
                               log=request_logs)],
        exception_handlers={HTTPException: errors.http_exception, TenantResolutionError: tenant_error,
                            Exception: errors.server_error},
    )
    app.state.settings = settings
    app.state.database = database
    app.state.directory = directory
    app.state.templates = build_templates()
    app.state.approval = ApprovalService(database, secret_key=settings.secret_key)
    register_issuer()  # concluded cases write their certificates into the e-license library
    register_construction_listener()  # construction stages join when their items' cases conclude
    app.state.catalogue = CatalogueCache()
    return app
