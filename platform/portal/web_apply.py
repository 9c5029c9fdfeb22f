"""Applying online: the form from the item's schema (prefilled from the sharing center), material uploads,
e-licences offered instead of uploads (免收证照, with consent), the item chain, drafts, submission."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from itsdangerous import URLSafeTimedSerializer
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from tongban.platform.approval import submission_keys
from tongban.platform.approval.errors import ApprovalError, SubmissionInvalid
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.files.models import Upload
from tongban.platform.files.store import UploadRefused
from tongban.platform.portal import applying, cases, submitted_forms
from tongban.platform.portal.apply_view import apply_view
from tongban.platform.portal.formdata import parse_post
from tongban.platform.portal.web_common import (
    Ctx,
    PortalUser,
    call,
    finish,
    not_found,
    page,
    portal_of,
    redirect,
    render,
    require_user,
    theme_of,
    trail,
    with_posted_files,
)
from tongban.tenants.isolation import TenantContext

FLASH_COOKIE = "tb_portal_flash"


def flash_serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(portal_of(request).secret_key, salt="tongban.portal.flash")


def to_case_with_flash(request: Request, ctx: Ctx, number: str, message: dict) -> Response:
    """To the case page, carrying a one-time message for it (signed, ten minutes: the query code, an answer done)."""
    response = redirect(ctx, f"{ctx.base}/cases/{number}")
    response.set_cookie(FLASH_COOKIE, flash_serializer(request).dumps({"number": number, **message}),
                        max_age=600, httponly=True, samesite="lax", path="/")
    return response


@page
async def apply_page(request: Request, ctx: Ctx):
    user = require_user(ctx)
    return await call(_apply_get, request, ctx, user, request.path_params["code"])


def _apply_get(request: Request, ctx: Ctx, user: PortalUser, code: str) -> Response:
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        guide, schema = _item(session, portal, ctx, code)
        draft = applying.load_draft(session, user.subject, code)
        attempt = applying.attempt_from_draft(draft)
        uploads = applying.owned_uploads(session, user.subject, [t for v in attempt.files.values() for t in v])
    aids = _aids(portal, user, guide, schema)
    if draft is None:  # a new application starts from what the government already holds
        attempt.form_data = applying.first_values(schema, user.identity, aids)
    message = ctx._("已恢复您上次填写、尚未提交的内容，可继续填写；如需重新开始，请点“清空重填”。") if draft else None
    form_id, fresh = _form_id(ctx, code), bool(ctx.query.get("new"))
    submitted = None if fresh else submitted_forms.recent(request, portal.secret_key, user.subject, form_id)
    response = _render_form(request, ctx, theme, guide, schema, attempt, uploads, user, message, aids=aids,
                            key=submitted.key if submitted else None, submitted=submitted, has_draft=draft is not None)
    if fresh:  # 开始新的申请: this page's key is a new one
        submitted_forms.forget(request, response, portal.secret_key, user.subject, form_id)
    return response


def _form_id(ctx: Ctx, code: str) -> str:
    return f"{ctx.tenant.code}/{code}"


def _aids(portal, user: PortalUser, guide, schema):
    return applying.sharing_aids(portal.sharing, _applicant(user), guide, schema)


def _applicant(user: PortalUser) -> dict:
    return applying.applicant_of(user.subject, user.kind, user.identity)


def _item(session, portal, ctx: Ctx, code: str):
    guide = portal.guides.guide(session, ctx.tenant, code)
    if guide is None or not guide.online:
        raise not_found(ctx)
    return guide, version_parts(session, guide.version_id)[1]


def _render_form(request, ctx, theme, guide, schema, attempt, uploads, user, message=None, status=200, *, aids=None,
                 key: str | None = None, submitted: submitted_forms.Submitted | None = None, has_draft: bool = True):
    snapshot = request.app.state.directory.snapshot
    aids = aids or _aids(portal_of(request), user, guide, schema)
    view = apply_view(guide, schema, attempt, uploads, user.identity, ctx.lang, snapshot, aids)
    data = {"trail": trail(request, ctx, (guide.name, f"{ctx.base}/items/{quote(guide.code)}"), (ctx._("在线申请"), None)),
            "guide": guide, "view": view, "message": message, "action": f"{ctx.base}/items/{quote(guide.code)}/apply",
            "submission_key": key or submission_keys.new_key(),  # one per rendered form, kept while it is retried
            "submitted": submitted, "has_draft": has_draft}
    return render(request, ctx, theme, "portal/apply.html", data, status)


@page
async def apply_post(request: Request, ctx: Ctx):
    user = require_user(ctx)
    return await with_posted_files(request, ctx, _apply_post, user, request.path_params["code"], max_files=60,
                                   max_fields=2000)


def _apply_post(request: Request, ctx: Ctx, user: PortalUser, code: str, form) -> Response:
    portal = portal_of(request)
    action = str(form.get("action") or "save")
    key = _posted_key(form)
    if action == "discard":  # 清空重填: what was kept for this application goes; the form starts afresh
        with portal.database.unit_of_work(ctx.tenant.context()) as session:
            applying.delete_draft(session, user.subject, code)
        return redirect(ctx, f"{ctx.base}/items/{quote(code)}/apply")
    values = {k: form.getlist(k) for k in form if k.startswith("f.")}
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        guide, schema = _item(session, portal, ctx, code)
        attempt = applying.Attempt()
        extra, dropped = _row_actions(action)
        attempt.form_data = parse_post(schema, values, extra_rows=extra, drop_rows=dropped)
        _collect_files(session, portal, user, code, guide, schema, form, attempt)
        _collect_licenses(guide, form, attempt)
        applying.save_draft(session, user.subject, code, attempt)
        uploads = applying.owned_uploads(session, user.subject, [t for v in attempt.files.values() for t in v])
        if action == "submit" and attempt.errors:  # a file refused: tell everything else wrong too, at once
            told = {e["path"] for e in attempt.errors}
            materials = version_parts(session, guide.version_id)[2].get("materials") or []
            file_fields = {s.name for s in schema.fields if s.type == "file"}
            attempt.errors += [e for e in applying.other_problems(code, schema, materials, attempt, _applicant(user),
                                                                  uploads, file_fields) if e["path"] not in told]
    if action != "submit" or attempt.errors:
        message = ctx._("草稿已保存，可在任何设备上登录后继续填写。") if action == "save" and not attempt.errors else None
        status = 422 if attempt.errors else 200
        return _render_form(request, ctx, theme, guide, schema, attempt, uploads, user, message, status, key=key)
    return _submit(request, ctx, theme, user, guide, schema, attempt, uploads, key)


def _posted_key(form) -> str | None:
    """The rendered form's submission key (a malformed one counts as none: the page gets a fresh key)."""
    key = str(form.get("submission_key") or "")
    return key if submission_keys.KEY.match(key) else None


def _row_actions(action: str) -> tuple[dict, dict]:
    parts = action.split(":")
    if parts[0] == "add_row" and len(parts) == 2:
        return {parts[1]: 1}, {}
    if parts[0] == "remove_row" and len(parts) == 3 and parts[2].isdigit():
        return {}, {parts[1]: int(parts[2])}
    return {}, {}


def _collect_files(session, portal, user, code, guide, schema, form, attempt) -> None:
    """Kept uploads (ticked) plus new files, each stored at once; a refused file becomes a field error."""
    targets = [(purpose, path, rules) for purpose, (path, rules) in applying.upload_targets(guide, schema).items()]
    kept = applying.owned_uploads(session, user.subject, [t for p, _, _ in targets for t in form.getlist(f"keep.{p}")])
    for purpose, path, rules in targets:
        tokens = list(dict.fromkeys(t for t in form.getlist(f"keep.{purpose}") if t in kept))
        for upload in form.getlist(f"file.{purpose}"):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            try:
                stored = portal.store.accept(session, owner=user.subject, item_code=code, purpose=purpose,
                                             filename=upload.filename, stream=upload.file, rules=rules)
                if applying.already_kept(stored, [kept[t] for t in tokens if t in kept]):
                    applying.forget_upload(session, portal.store, stored)  # the same file chosen again
                    continue
                tokens.append(stored.token)
                kept[stored.token] = stored
            except UploadRefused as refused:
                attempt.error(path, refused.code, refused.zh, refused.en)
        attempt.files[purpose] = tokens


def _collect_licenses(guide, form, attempt: applying.Attempt) -> None:
    """A ticked box is the applicant's consent to use the e-licence offered (its number, or "auto": the
    engine finds the applicant's valid one and says why when there is none)."""
    for m in guide.materials:
        if not m["license_type"]:
            continue
        if form.get(f"lic.{m['id']}"):
            attempt.license_opt_in.add(m["id"])
            attempt.licenses[m["id"]] = str(form.get(f"licno.{m['id']}") or "").strip()[:80] or "auto"


def _submit(request, ctx, theme, user, guide, schema, attempt, uploads, key: str | None) -> Response:
    portal = portal_of(request)
    file_fields = {s.name for s in schema.fields if s.type == "file"}
    application = replace(applying.application_of(guide.code, attempt, _applicant(user), uploads, file_fields),
                          submission_key=key)
    try:
        result = portal.approval.submit(ctx.tenant.code, ctx.tenant.code, user.actor, application)
    except SubmissionInvalid as invalid:
        attempt.errors = list(invalid.errors)
        return _render_form(request, ctx, theme, guide, schema, attempt, uploads, user, None, 422, key=key)
    except ApprovalError as refused:
        attempt.error("", refused.code, refused.zh, refused.en)
        return _render_form(request, ctx, theme, guide, schema, attempt, uploads, user, None, 422, key=key)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        applying.delete_draft(session, user.subject, guide.code)
    if result.get("repeated"):  # Back and submit again: the first submission's case, no new one
        return redirect(ctx, f"{ctx.base}/items/{quote(guide.code)}/submitted/{quote(result['number'])}")
    response = to_case_with_flash(request, ctx, result["number"], {"query_code": result["query_code"]})
    if key:  # Back fetches the apply page again: it shows this application, not a new one
        submitted_forms.remember(request, response, portal.secret_key, user.subject, _form_id(ctx, guide.code),
                                 submitted_forms.Submitted(key, result["number"]))
    return response


@page
async def already_submitted(request: Request, ctx: Ctx):
    user = require_user(ctx)
    return await call(_already_submitted, request, ctx, user, request.path_params["code"],
                      request.path_params["number"])


def _already_submitted(request: Request, ctx: Ctx, user: PortalUser, code: str, number: str) -> Response:
    """Where a repeated submission lands: the notice, and the way to the case the first one created."""
    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant reads own case")) as session:
        case = cases.applicant_case(session, number, user.subject)
    if case is None or case.item_code != code:
        raise not_found(ctx)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    data = {"trail": trail(request, ctx, (ctx._("我的办件"), f"{ctx.base}/cases"), (case.number, None)), "case": case}
    return render(request, ctx, theme, "portal/apply_repeated.html", data)


@page
async def my_upload(request: Request, ctx: Ctx):
    user = require_user(ctx)
    return await call(_my_upload, request, ctx, user, request.path_params["token"])


def _my_upload(request: Request, ctx: Ctx, user: PortalUser, token: str) -> Response:
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        upload = applying.owned_uploads(session, user.subject, [token]).get(token)
        found = upload and (portal.store.path_of(upload), upload.content_type, upload.original_name)
    if not found or not found[0].exists():
        raise not_found(ctx)
    response = FileResponse(found[0], media_type=found[1], headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found[2])}"})
    return finish(ctx, response)


routes = [
    Route("/items/{code}/apply", apply_page, methods=["GET"]),
    Route("/items/{code}/apply", apply_post, methods=["POST"]),
    Route("/items/{code}/submitted/{number}", already_submitted, methods=["GET"]),
    Route("/uploads/{token}", my_upload),
]

__all__ = ["Upload", "routes"]
