"""The public GraphQL API at /graphql (also under a tenant prefix: /t/<code>/graphql), its SDL, and the
developer guide at /graphql/guide."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tongban.graphql.core.http import endpoint
from tongban.graphql.core.limits import limits_of
from tongban.graphql.core.uploads import upload
from tongban.graphql.supervision.uploads import upload_attachment


def guide(request: Request):
    context = {"tenant": None, "limits": limits_of(request.app)}
    return request.app.state.templates.TemplateResponse(request, "graphql/guide.html", context)


def sdl(_request: Request):
    from tongban.graphql.export import current_sdl

    return PlainTextResponse(current_sdl(), media_type="text/plain; charset=utf-8")


routes: list = [Route("/graphql", endpoint, methods=["GET", "POST"], name="graphql"),
                Route("/graphql/uploads", upload, methods=["POST"], name="graphql_uploads"),
                Route("/graphql/uploads/attachments", upload_attachment, methods=["POST"],
                      name="graphql_attachment_uploads"),
                Route("/graphql/guide", guide, name="graphql_guide"),
                Route("/graphql/schema.graphql", sdl, name="graphql_sdl")]
