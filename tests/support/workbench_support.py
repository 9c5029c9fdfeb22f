"""Helpers for workbench tests: demo staff signed in through the provider (password + TOTP), extra roles,
published test items, cases made through the engine, and the forms a page shows."""
from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime, timedelta

import pyotp

from tongban.platform.identity.seed import DEMO_PASSWORD, DEMO_STAFF

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
STAFF_SECRETS = {username: secret for username, *_rest, secret in DEMO_STAFF}
HAIKOU = "http://haikou.localhost"
SANYA = "http://sanya.localhost"
PDF = b"%PDF-1.4\n% test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_ID = "460100199001011230"


class FakeClock:
    def __init__(self) -> None:
        self._now = datetime.now(UTC).replace(microsecond=0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta) -> None:
        with self._lock:
            self._now += timedelta(**delta)


def identity_service(app, settings, clock):
    """The app's identity service with cheap password hashing and a movable clock; demo accounts seeded."""
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.mailer import MemoryMailer
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    config = config_from_settings(settings, passwords=Passwords(fast_hasher()), mailer=MemoryMailer(), clock=clock)
    service = IdentityService(app.state.database, config)
    app.state.identity = service
    seed_identity(app.state.database, secret_key=settings.secret_key, base_url="http://localhost",
                  passwords=config.passwords)
    return service


def grant(db, username: str, role: str, tenant: str = "4601", *, subtree: bool = False) -> None:
    """An extra role for a demo account (before it signs in: roles travel in the id_token)."""
    from tongban.platform.identity.accounts import by_username
    from tongban.platform.identity.grants import grant_role
    from tongban.platform.identity.permissions import Role
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.none()) as session:
        grant_role(session, account=by_username(session, username), role=Role(role), tenant_code=tenant,
                   extends_to_subtree=subtree, granter=None, actor="test")


def new_staff(db, identity, username: str, role: str, tenant: str = "4601") -> None:
    """Another staff account (TOTP enrolled, secret in STAFF_SECRETS) holding only ``role`` at ``tenant``."""
    from tongban.platform.identity.accounts import register_staff
    from tongban.tenants.isolation import TenantContext

    secret = pyotp.random_base32()
    with db.unit_of_work(TenantContext.none()) as session:
        account = register_staff(session, identity.config.passwords, username=username, password=DEMO_PASSWORD,
                                 name="测试员", home_tenant_code=tenant)
        account.totp_secret, account.totp_enabled_at = secret, identity.now()
    STAFF_SECRETS[username] = secret
    grant(db, username, role, tenant)


def set_department(db, username: str, department: str) -> None:
    """Move a demo staff member to another department (before signing in: it travels in the id_token)."""
    from tongban.platform.identity.accounts import by_username
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.none()) as session:
        by_username(session, username).staff.department = department


def csrf_in(page_text: str) -> str:
    match = CSRF.search(page_text)
    assert match, page_text[:600]
    return html.unescape(match.group(1))


def sign_in(client, username: str, clock, *, site: str = HAIKOU, path: str = "/workbench/"):
    """Open a workbench page; sign in at the provider with password and TOTP when asked; the landing page."""
    page = client.get(site + path)
    if "/login" not in str(page.url):
        return page
    answer = client.post(str(page.url), data={"csrf_token": csrf_in(page.text), "username": username,
                                              "password": DEMO_PASSWORD})
    if "/login/totp" not in str(answer.url):
        return answer
    code = pyotp.TOTP(STAFF_SECRETS[username]).at(clock())
    return client.post(str(answer.url), data={"csrf_token": csrf_in(answer.text), "code": code})


def hidden_fields(page_text: str, form_action: str) -> dict:
    """The hidden inputs of the form posting to ``form_action`` (csrf, task id, revision)."""
    start = page_text.index(f'action="{form_action}"')
    end = page_text.index("</form>", start)
    return {k: html.unescape(v) for k, v in HIDDEN.findall(page_text[start:end])}


def act(client, site: str, case_id: int, action: str, page_text: str, **fields):
    url = f"/workbench/cases/{case_id}/act/{action}"
    return client.post(site + url, data={**hidden_fields(page_text, url), **fields})


def intake_data(csrf: str, handling: str = "4601", **extra) -> dict:
    return {"csrf_token": csrf, "handling": handling, "a.kind": "person", "a.name": "张三", "a.number": VALID_ID,
            "a.phone": "13800138000", "f.applicant_name": "张三", "f.id_number": VALID_ID, **extra}


def pdf_files(*material_ids: str) -> list:
    return [(f"m.{mid}", (f"{mid}.pdf", PDF, "application/pdf")) for mid in material_ids]
