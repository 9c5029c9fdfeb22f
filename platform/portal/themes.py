"""Tenant themes: save a draft (checked), preview it, publish it; resolve a tenant's theme along its path.

The draft holds the tokens, the template overrides and a logo change (an upload or the removal of the tenant's
own logo, see ``logos``): all of it is seen only in the tenant's preview, goes live together on publishing
(audited) and is dropped together on discarding.

Runs in a unit of work bound to the tenant. A tenant writes only its own theme (RLS + the ORM's flush
check); it reads its own and its ancestors' published themes, never a sibling's, and no other tenant's logo
draft.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tongban.platform import audit
from tongban.platform.db import utcnow
from tongban.platform.portal import logos
from tongban.platform.portal.models import DRAFT, PUBLISHED, PortalLogoDraft, PortalTheme, ThemeFailure
from tongban.tenants.isolation import path_codes
from tongban.themes.loader import Layer, RenderFailure, ResolvedTheme, overridable_templates
from tongban.themes.sandbox import check_template
from tongban.themes.tokens import ThemeProblem, check_tokens, clean_tokens

MAX_TEMPLATES = 40


class ThemeInvalid(ValueError):
    def __init__(self, problems: list[ThemeProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.en}" for p in problems))


class ThemeError(LookupError):
    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True)
class ThemeView:
    """What the admin form shows: the draft if there is one, else the published theme."""

    tokens: dict
    templates: dict
    status: str | None  # draft | published | None (no theme: the parent's look)
    revision: int
    has_draft: bool
    published_at: object


ON_PATH = (select(PortalTheme.id, PortalTheme.tenant_id, PortalTheme.status, PortalTheme.revision,
                  PortalTheme.tokens, PortalTheme.templates)
           .where(PortalTheme.tenant_id.in_(bindparam("codes", expanding=True)),
                  PortalTheme.status.in_(bindparam("statuses", expanding=True))))  # built once: a page only binds


def resolve_theme(session: Session, tenant, *, preview: bool = False) -> ResolvedTheme:
    """The published themes on ``tenant``'s path (root first); with ``preview`` its own draft (and the draft's
    logo) replaces its own."""
    codes = path_codes(tenant.path) or (tenant.code,)
    statuses = [PUBLISHED, DRAFT] if preview else [PUBLISHED]
    rows = session.execute(ON_PATH, {"codes": list(codes), "statuses": statuses}).all()
    chosen: dict[str, object] = {}
    for row in rows:
        if row.status == DRAFT and row.tenant_id != tenant.code:
            continue
        if row.tenant_id not in chosen or row.status == DRAFT:
            chosen[row.tenant_id] = row
    order = {code: i for i, code in enumerate(codes)}
    layers = tuple(
        Layer(r.tenant_id, r.revision, dict(r.tokens or {}), dict(r.templates or {}), r.status == DRAFT, r.id)
        for r in sorted(chosen.values(), key=lambda r: order[r.tenant_id]))
    logo = logos.nearest_logo(session, tenant, preview=preview)
    if logo is not None and any(order[layer.tenant_code] > order[logo.tenant_code]
                                and layer.tokens.get("logo_url") for layer in layers):
        logo = None  # a nearer tenant's logo_url token is nearer than the uploaded logo
    return ResolvedTheme(layers, logo=(logo.tenant_code, logo.sha256) if logo else None,
                         logo_draft=bool(logo and logo.draft))


def logo_url(theme: ResolvedTheme, base: str) -> str:
    """The header's logo image: the uploaded logo on the path unless a nearer tenant set a ``logo_url``
    token (the upload wins within one tenant); empty when the header shows the emblem text. A draft logo is
    served only to a preview."""
    if theme.logo is None:
        return theme.tokens["logo_url"]
    return f"{base}/portal-logo/{theme.logo[1]}.png" + ("?preview=draft" if theme.logo_draft else "")


class ThemeCache:
    """A worker's published themes per tenant for ``ttl`` seconds (as the tenant directory caches the tree):
    a theme published elsewhere reaches this worker within that time; ``clear()`` after a change here."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, ResolvedTheme]] = {}

    def theme(self, session: Session, tenant) -> ResolvedTheme:
        if self.ttl <= 0:
            return resolve_theme(session, tenant)
        now = time.monotonic()
        hit = self._entries.get(tenant.code)
        if hit is not None and hit[0] > now:
            return hit[1]
        theme = resolve_theme(session, tenant)
        if len(self._entries) > 4096:
            self._entries.clear()
        self._entries[tenant.code] = (now + self.ttl, theme)
        return theme

    def clear(self) -> None:
        self._entries.clear()


def check_theme(tokens: object, templates: object) -> list[ThemeProblem]:
    problems = check_tokens(tokens)
    if not isinstance(templates, dict):
        return problems + [ThemeProblem("templates", "type", "模板覆盖应为对象", "templates must be an object")]
    if len(templates) > MAX_TEMPLATES:
        problems.append(ThemeProblem("templates", "too_many", f"最多覆盖 {MAX_TEMPLATES} 个模板",
                                     f"at most {MAX_TEMPLATES} templates may be overridden"))
    known = overridable_templates()
    for name, source in sorted(templates.items()):
        problems += check_template(str(name), source, known)
    return problems


def _row(session: Session, tenant_code: str, status: str) -> PortalTheme | None:
    return session.scalar(select(PortalTheme).where(PortalTheme.tenant_id == tenant_code,
                                                    PortalTheme.status == status))


def theme_view(session: Session, tenant_code: str) -> ThemeView:
    draft, published = _row(session, tenant_code, DRAFT), _row(session, tenant_code, PUBLISHED)
    shown = draft or published
    if shown is None:
        return ThemeView({}, {}, None, 0, False, None)
    return ThemeView(dict(shown.tokens or {}), dict(shown.templates or {}), shown.status, shown.revision,
                     draft is not None, published.published_at if published else None)


def save_draft(session: Session, tenant_code: str, *, tokens: dict, templates: dict, actor: str,
               expected_revision: int | None = None) -> PortalTheme:
    """Check and keep the tenant's draft; nothing is written when a check fails."""
    tokens = clean_tokens(tokens) if isinstance(tokens, dict) else tokens
    templates = {k: v for k, v in templates.items() if isinstance(v, str) and v.strip()} \
        if isinstance(templates, dict) else templates
    problems = check_theme(tokens, templates)
    if problems:
        raise ThemeInvalid(problems)
    draft = _row(session, tenant_code, DRAFT)
    if draft is not None and expected_revision is not None and draft.revision != expected_revision:
        raise ThemeError("conflict", "主题草稿已被他人修改，请刷新后重试", "the draft changed meanwhile; reload it")
    before = {"tokens": dict(draft.tokens), "templates": sorted(draft.templates)} if draft else None
    if draft is None:
        draft = PortalTheme(tenant_id=tenant_code, status=DRAFT, revision=0, updated_by=actor)
        session.add(draft)
    draft.tokens, draft.templates = tokens, templates
    draft.revision += 1
    draft.updated_by = actor
    audit.record(session, tenant_id=tenant_code, actor=actor, action="save_draft", entity="theme",
                 entity_key=tenant_code, before=before, after={"tokens": tokens, "templates": sorted(templates)})
    session.flush()
    return draft


def draft_logo(session: Session, tenant_code: str, data: bytes, *, actor: str) -> PortalLogoDraft:
    """Check an uploaded logo and keep it in the tenant's theme draft; nothing is written when the check fails.
    It shows in the preview only, and on the portal once the draft is published."""
    picture = logos.clean_logo(data)
    before = logos.drafted_sha(session, tenant_code)
    _draft_for_change(session, tenant_code, actor)
    row = logos.keep_upload(session, tenant_code, picture, actor=actor)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="save_draft", entity="theme",
                 entity_key=tenant_code, before={"logo": {"sha256": before}},
                 after={"logo": {"sha256": row.sha256, "width": row.width, "height": row.height,
                                 "bytes": len(picture[0])}})
    return row


def draft_logo_removal(session: Session, tenant_code: str, *, actor: str) -> bool:
    """Make the tenant's theme draft drop its own logo (once published, the nearest ancestor's shows again);
    False when the draft has no logo of its own."""
    before = logos.drafted_sha(session, tenant_code)
    if before is None:
        return False
    _draft_for_change(session, tenant_code, actor)
    logos.keep_removal(session, tenant_code, actor=actor)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="save_draft", entity="theme",
                 entity_key=tenant_code, before={"logo": {"sha256": before}}, after={"logo": {"sha256": None}})
    return True


def _draft_for_change(session: Session, tenant_code: str, actor: str) -> PortalTheme:
    """The tenant's theme draft, one revision further; a new one starts from the published theme."""
    draft = _row(session, tenant_code, DRAFT)
    if draft is None:
        published = _row(session, tenant_code, PUBLISHED)
        draft = PortalTheme(tenant_id=tenant_code, status=DRAFT, revision=0,
                            tokens=dict(published.tokens or {}) if published else {},
                            templates=dict(published.templates or {}) if published else {})
        session.add(draft)
    draft.revision += 1
    draft.updated_by = actor
    return draft


def publish_draft(session: Session, tenant_code: str, *, actor: str) -> PortalTheme:
    draft = _row(session, tenant_code, DRAFT)
    if draft is None:
        raise ThemeError("no_draft", "没有待发布的主题草稿", "there is no draft to publish")
    problems = check_theme(draft.tokens, draft.templates)  # the rules may have tightened since it was saved
    if problems:
        raise ThemeInvalid(problems)
    published = _row(session, tenant_code, PUBLISHED)
    if published is None:
        published = PortalTheme(tenant_id=tenant_code, status=PUBLISHED, revision=0, updated_by=actor)
        session.add(published)
    published.tokens, published.templates = dict(draft.tokens), dict(draft.templates)
    published.revision += 1
    published.updated_by, published.published_at = actor, utcnow()
    session.delete(draft)
    logo = logos.publish_pending(session, tenant_code, actor=actor)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="publish", entity="theme",
                 entity_key=tenant_code, before={"logo": logo[0]} if logo else None,
                 after={"logo": logo[1]} if logo else None, extra={"revision": published.revision})
    session.flush()
    return published


def discard_draft(session: Session, tenant_code: str, *, actor: str) -> None:
    draft = _row(session, tenant_code, DRAFT)
    logos.discard_pending(session, tenant_code)
    if draft is not None:
        session.delete(draft)
        audit.record(session, tenant_id=tenant_code, actor=actor, action="discard_draft", entity="theme",
                     entity_key=tenant_code)


def record_failure(session: Session, failure: RenderFailure, *, revision: int, page_tenant: str) -> None:
    """Count a failure of the unit of work's tenant's template (one row per template and revision)."""
    row = session.scalar(select(ThemeFailure).where(ThemeFailure.tenant_id == failure.owner,
                                                    ThemeFailure.template_name == failure.name,
                                                    ThemeFailure.revision == revision))
    if row is None:
        session.add(ThemeFailure(tenant_id=failure.owner, template_name=failure.name, revision=revision,
                                 error=failure.error, line=failure.line, page_tenant=page_tenant))
    else:
        row.count += 1
        row.last_at, row.error, row.line, row.page_tenant = utcnow(), failure.error, failure.line, page_tenant


def recent_failures(session: Session, tenant_code: str, limit: int = 20) -> list[ThemeFailure]:
    return list(session.scalars(select(ThemeFailure).where(ThemeFailure.tenant_id == tenant_code)
                                .order_by(ThemeFailure.last_at.desc()).limit(limit)))
