"""The /graphql endpoint: GraphiQL for a browser's GET, GraphQL over HTTP (POST JSON, or GET for queries)
for programs. A request is read on the event loop, then verified, rate limited and executed in one
worker thread — resolvers are synchronous and talk to the database, so they never block the loop."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from tongban.graphql.core.auth import bearer_token, verify
from tongban.graphql.core.context import build_context
from tongban.graphql.core.errors import ApiError
from tongban.graphql.core.limits import ApiLimits, limits_of
from tongban.graphql.core.ratelimit import Decision, RateLimiter
from tongban.platform.identity.tokens import TokenRefused

_STATE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Call:
    query: str | None
    variables: dict | None
    operation_name: str | None
    method: str
    authorization: str | None
    address: str
    tenant: object | None


def limiter_of(app) -> RateLimiter:
    limiter = getattr(app.state, "graphql_rate_limiter", None)
    if limiter is None:
        with _STATE_LOCK:
            limiter = getattr(app.state, "graphql_rate_limiter", None) or RateLimiter()
            app.state.graphql_rate_limiter = limiter
    return limiter


async def endpoint(request: Request) -> Response:
    if request.method == "GET" and "query" not in request.query_params and _wants_html(request):
        return HTMLResponse(_ide_html())
    limits = limits_of(request.app)
    try:
        call = await _read(request, limits)
    except ApiError as error:
        return _errors(400 if error.code != "PAYLOAD_TOO_LARGE" else 413, [error])
    return await run_in_threadpool(serve, request.app, call)


def serve(app, call: Call) -> Response:
    """Everything after reading the request; also what the benchmark and tests call directly."""
    limits = limits_of(app)
    try:
        token = bearer_token(call.authorization)
        principal = verify(app, token) if token else None
    except ApiError as error:
        return _errors(401, [error], {"www-authenticate": 'Bearer error="invalid_request"'})
    except TokenRefused as refused:
        error = ApiError("UNAUTHENTICATED", refused.zh, refused.en)
        return _errors(401, [error], {"www-authenticate": f'Bearer error="{refused.code}"'})
    decision = _take(app, limits, principal, call.address)
    if not decision.allowed:
        error = ApiError("RATE_LIMITED", f"请求过于频繁，请 {decision.retry_after} 秒后再试",
                         f"too many requests; retry in {decision.retry_after} s", retryAfter=decision.retry_after)
        return _errors(429, [error], decision.headers())
    from tongban.graphql.schema import build_schema

    context = build_context(app, principal, call.tenant, limits, call.address)
    allowed = {OperationType.QUERY} if call.method == "GET" else {OperationType.QUERY, OperationType.MUTATION}
    try:
        result = build_schema().execute_sync(call.query, call.variables, context, operation_name=call.operation_name,
                                             allowed_operation_types=allowed)
    except MissingQueryError:
        return _errors(400, [ApiError("BAD_REQUEST", "缺少查询语句", "no query was sent")], decision.headers())
    except CannotGetOperationTypeError:
        return _errors(400, [ApiError("BAD_REQUEST", "找不到要执行的操作（operationName）",
                                      "no such operation (operationName)")], decision.headers())
    except InvalidOperationTypeError:
        return _errors(405, [ApiError("METHOD_NOT_ALLOWED", "变更操作须使用 POST", "mutations must be sent with POST")],
                       {**decision.headers(), "allow": "POST"})
    body: dict = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    return _json(200, body, decision.headers())


def _take(app, limits: ApiLimits, principal, address: str) -> Decision:
    if principal is not None:
        return limiter_of(app).take(f"client:{principal.client_id}", burst=limits.client_burst,
                                    per_second=limits.client_per_second)
    return limiter_of(app).take(f"address:{address}", burst=limits.anonymous_burst,
                                per_second=limits.anonymous_per_second)


async def _read(request: Request, limits: ApiLimits) -> Call:
    tenant = request.scope.get("state", {}).get("tenant")
    address = request.client.host if request.client else ""
    authorization = request.headers.get("authorization")
    if request.method == "GET":
        params = request.query_params
        return Call(params.get("query"), _variables(params.get("variables")), params.get("operationName"), "GET",
                    authorization, address, tenant)
    body = await request.body()
    if len(body) > limits.max_body_bytes:
        raise ApiError("PAYLOAD_TOO_LARGE", f"请求体超过 {limits.max_body_bytes} 字节",
                       f"the request body is over {limits.max_body_bytes} bytes")
    if "json" not in request.headers.get("content-type", ""):
        raise ApiError("BAD_REQUEST", "请以 application/json 发送", "send the request as application/json")
    try:
        data = json.loads(body)
    except ValueError:
        raise ApiError("BAD_REQUEST", "请求体不是有效的 JSON", "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError("BAD_REQUEST", "请求体应为 JSON 对象", "the body must be a JSON object")
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ApiError("BAD_REQUEST", "variables 应为对象", "variables must be an object")
    query = data.get("query")
    return Call(query if isinstance(query, str) else None, variables, data.get("operationName"), "POST",
                authorization, address, tenant)


def _variables(text: str | None) -> dict | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise ApiError("BAD_REQUEST", "variables 不是有效的 JSON", "variables is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError("BAD_REQUEST", "variables 应为对象", "variables must be an object")
    return value


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


_IDE: list[str] = []


def _ide_html() -> str:
    if not _IDE:
        _IDE.append(get_graphql_ide_html("graphiql"))
    return _IDE[0]


def _errors(status: int, errors: list[ApiError], headers: dict | None = None) -> Response:
    return _json(status, {"data": None, "errors": [e.formatted for e in errors]}, headers)


def _json(status: int, body: dict, headers: dict | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(content, status_code=status, headers=headers, media_type="application/json")
