"""Error pages and JSON errors, Chinese first with English, never leaking internals."""
from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tongban.tenants.resolution import SuspendedTenant, TenantResolutionError

log = logging.getLogger("tongban.errors")

MESSAGES = {
    400: ("请求有误", "Bad request"),
    403: ("无权访问", "Forbidden"),
    404: ("页面不存在", "Page not found"),
    405: ("不支持的请求方法", "Method not allowed"),
    500: ("系统繁忙，请稍后再试", "Something went wrong; please try again later"),
    503: ("服务暂不可用", "Service unavailable"),
}


def tenant_error_messages(error: TenantResolutionError) -> tuple[str, str]:
    if isinstance(error, SuspendedTenant):
        return (f"{error.tenant.name}的服务已暂停，请访问上级政府门户。",
                f"The portal of {error.tenant.name} ({error.tenant.code}) is suspended.")
    return (f"找不到该地区（{error.key}）的政务服务门户。", f"No government service portal is known for {error.key!r}.")


def error_body(request: Request, status: int, detail_zh: str | None = None, detail_en: str | None = None,
               code: str | None = None) -> dict:
    title_zh, title_en = MESSAGES.get(status, MESSAGES[500])
    return {"status": status, "code": code or f"http_{status}", "title_zh": title_zh, "title_en": title_en,
            "detail_zh": detail_zh or title_zh, "detail_en": detail_en or title_en,
            "request_id": request.scope.get("state", {}).get("request_id")}


def error_response(request: Request, status: int, detail_zh: str | None = None, detail_en: str | None = None,
                   code: str | None = None) -> Response:
    body = error_body(request, status, detail_zh, detail_en, code)
    if _wants_json(request):
        return JSONResponse({"error": body}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"error": body, "tenant": None}, status_code=status)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def http_exception(request: Request, exc: HTTPException) -> Response:
    tenant_error = request.scope.get("state", {}).get("tenant_error")
    if exc.status_code == 404 and tenant_error is not None:
        zh, en = tenant_error_messages(tenant_error)
        return error_response(request, tenant_error.status, zh, en, code=tenant_error.code)
    detail = exc.detail if isinstance(exc.detail, tuple) else (None, None)
    return error_response(request, exc.status_code, *detail)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"fields": {"request_id": request.scope.get("state", {}).get("request_id")}})
    return error_response(request, 500)
