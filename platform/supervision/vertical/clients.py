"""Registering the vertical systems allowed to report cases (province admins), audited."""
from __future__ import annotations

import secrets

from tongban.platform import audit
from tongban.platform.supervision.errors import Invalid
from tongban.platform.supervision.rules import require_province_admin
from tongban.platform.supervision.vertical.models import VerticalClient
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant


def register_client(database, client_id: str, *, name: str, tenant_code: str, department: str, actor,
                    webhook_url: str | None = None, webhook_secret: str | None = None) -> dict:
    """Add or update a client; returns it with its webhook secret (generated when not given)."""
    require_province_admin(actor)
    problems = []
    if not client_id or len(client_id) > 60:
        problems.append({"field": "client_id", "code": "required", "zh": "缺少系统标识", "en": "client_id is required"})
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        problems.append({"field": "webhook_url", "code": "url_invalid", "zh": "回调地址应以 http(s):// 开头",
                         "en": "webhook_url must start with http(s)://"})
    with database.unit_of_work(TenantContext.system(f"register vertical client {client_id}")) as session:
        if session.get(Tenant, tenant_code) is None:
            problems.append({"field": "tenant_code", "code": "tenant_unknown", "zh": "没有该地区", "en": "no such tenant"})
        if problems:
            raise Invalid(problems)
        client = session.get(VerticalClient, client_id)
        before = _public(client) if client else None
        if client is None:
            client = VerticalClient(client_id=client_id)
            session.add(client)
        client.name, client.tenant_code, client.department, client.active = name, tenant_code, department, True
        client.webhook_url = webhook_url
        client.webhook_secret = webhook_secret or client.webhook_secret or secrets.token_urlsafe(32)
        audit.record(session, tenant_id=tenant_code, actor=actor.subject, action="register_client",
                     entity="vertical_client", entity_key=client_id, before=before, after=_public(client))
        return {**_public(client), "webhook_secret": client.webhook_secret}


def _public(client: VerticalClient) -> dict:
    return {"client_id": client.client_id, "name": client.name, "tenant_code": client.tenant_code,
            "department": client.department, "webhook_url": client.webhook_url, "active": client.active}
