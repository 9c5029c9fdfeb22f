"""Helpers for the configurator admin room's tests: signing in through the provider as a browser would,
staff made with identity's own services, items authored through the catalogue, and reading pages."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pyotp

from tongban.platform.identity.seed import DEMO_PASSWORD, DEMO_STAFF
from tongban.tenants.isolation import TenantContext

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STAFF_SECRETS = {username: secret for username, *_rest, secret in DEMO_STAFF}
PROVINCE, HAIKOU, XIUYING, CHANGLIU, SANYA, HAITANG = "46", "4601", "460105", "460105100", "4602", "460202"
CHANGLIU_ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def csrf_of(text: str) -> str:
    match = CSRF.search(text)
    assert match, text[:600]
    return html.unescape(match.group(1))


def sign_in(client, username: str, *, clock=None, secret: str | None = None, prefix: str = "",
            host: str = "http://localhost", expect: int = 200):
    """Open the admin room (``prefix`` ``/t/<code>``), follow it to the provider, enter the password and
    the TOTP code; returns the admin page the browser lands on."""
    start = client.get(f"{host}{prefix}/admin/items")
    assert "/login" in str(start.url), (start.status_code, str(start.url))
    answer = client.post(str(start.url), data={"csrf_token": csrf_of(start.text), "username": username,
                                               "password": DEMO_PASSWORD})
    if "/login/totp" in urlsplit(str(answer.url)).path:
        secret = secret or STAFF_SECRETS[username]
        code = pyotp.TOTP(secret).at(clock()) if clock else pyotp.TOTP(secret).now()
        answer = client.post(str(answer.url), data={"csrf_token": csrf_of(answer.text), "code": code})
    assert answer.status_code == expect, (answer.status_code, str(answer.url), answer.text[:600])
    return answer


def make_staff(identity, username: str, name: str, *, tenant: str, role: str, granter: str | None,
               secret: str = CHANGLIU_ADMIN_SECRET, subtree: bool = True, department: str = ""):
    """A staff account at ``tenant`` with a pre-enrolled TOTP secret and ``role`` granted by ``granter``
    (a username; None for the platform itself) through identity's grant service."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.grants import grant_role
    from tongban.platform.identity.permissions import Role

    with identity.unit() as session:
        account = accounts.register_staff(session, identity.config.passwords, username=username,
                                          password=DEMO_PASSWORD, name=name, home_tenant_code=tenant,
                                          department=department)
        account.totp_secret, account.totp_enabled_at = secret, identity.now()
        granting = accounts.by_username(session, granter) if granter else None
        grant_role(session, account=account, role=Role(role), tenant_code=tenant, extends_to_subtree=subtree,
                   granter=granting, actor=granting.subject if granting else "test")
    return account


def author(db, code: str = "T-0001", name: str = "个体工商户设立登记", *, owner: str = PROVINCE,
           publish_to: str | None = PROVINCE, **extra) -> dict:
    """An item with complete content, through the catalogue's own services (optionally published)."""
    from catalogue_fixtures import content

    from tongban.configurator.publishing import catalogue
    from tongban.configurator.publishing.scopes import PublishScope

    body = content(code, name, **extra)
    with db.unit_of_work(context_of(db, owner)) as s:
        catalogue.create_item(s, owner=owner, elements=body["elements"], actor="test")
        for part in ("form", "materials", "flow"):
            catalogue.edit_draft(s, code, part, body[part], actor="test")
        if publish_to:
            catalogue.publish(s, code, PublishScope.subtree(publish_to), actor="test")
    return body


def context_of(db, code: str) -> TenantContext:
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        return TenantContext.of(s.get(Tenant, code))


def effective(db, tenant_code: str, item_code: str):
    from tongban.configurator.publishing.effective import effective_item
    from tongban.tenants.models import Tenant

    with db.unit_of_work(TenantContext.system("test lookup")) as s:
        tenant = s.get(Tenant, tenant_code)
    with db.unit_of_work(TenantContext.of(tenant)) as s:
        return effective_item(s, tenant, item_code)


def draft_content(db, code: str, owner: str = PROVINCE) -> dict:
    from tongban.configurator.publishing import catalogue

    with db.unit_of_work(context_of(db, owner)) as s:
        item = catalogue.get_item(s, code)
        draft = catalogue.current_draft(s, item)
        return (draft or catalogue.version(s, item, item.latest_version_no)).content


def form_fields(text: str) -> dict[str, str]:
    """The named inputs of a page (text inputs, hidden inputs, checked boxes, selected options, textareas)
    — what a browser would post when the form is submitted unchanged."""
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", text):
        name, kind = _attr(tag, "name"), _attr(tag, "type") or "text"
        if name is None or "disabled" in tag.split():
            continue
        if kind in ("checkbox", "radio") and not re.search(r"\schecked\b", tag):
            continue
        if kind == "file":
            continue
        fields.setdefault(name, []).append(_attr(tag, "value") or ("1" if kind == "checkbox" else ""))
    for name, body in re.findall(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', text, re.DOTALL):
        fields.setdefault(html.unescape(name), []).append(html.unescape(body))
    for name, body in re.findall(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', text, re.DOTALL):
        chosen = re.findall(r'<option value="([^"]*)"\s+selected', body) or re.findall(r'<option value="([^"]*)"', body)[:1]
        fields.setdefault(html.unescape(name), []).extend(html.unescape(c) for c in chosen[:1])
    return fields


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return html.unescape(match.group(1)) if match else None


def post_form(client, url: str, page_text: str, changes: dict | None = None, *, op: str = "save",
              drop: tuple[str, ...] = ()):
    """Submit the page's form as a browser would, with some inputs changed (``None`` removes one)."""
    data = {k: v for k, v in form_fields(page_text).items() if k not in drop and k != "json"}
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value if isinstance(value, list) else [value]
    data["op"] = [op]
    return client.post(url, data=data)
