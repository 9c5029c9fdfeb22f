"""Demo content of the portal: themes for 海口市 and 长流镇, and window appointment slots.

Safe to run twice: a tenant that already has a published theme, or a day that already has its slots, is
left as it is. Themes go through the same checks and publishing as an administrator's.
"""
from __future__ import annotations

from sqlalchemy import select

from tongban.platform.calendar.store import build_calendar
from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_windows, themes
from tongban.platform.portal.models import PUBLISHED, AppointmentWindow, PortalTheme
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

ACTOR = "system:seed"
HAIKOU, CHANGLIU = "4601", "460105100"

CHANGLIU_BANNER = """<section class="banner township-banner">
  <div class="wrap">
    <p class="banner-title">{{ theme.banner_title }}</p>
    <p class="banner-subtitle">{{ theme.banner_subtitle }}</p>
    <p class="township-note">村（社区）代办员上门服务 · 帮办代办热线 {{ theme.contact_phone }}</p>
    {% include "partials/search_box.html" %}
  </div>
</section>
"""

DEMO_THEMES = {
    HAIKOU: ({
        "color_primary": "#0a5a8a", "color_primary_ink": "#ffffff", "color_accent": "#0b57a4",
        "logo_text": "椰", "tagline": "椰城通办 · Haikou e-Government Services",
        "banner_title": "海口市民办事，一网通办", "banner_subtitle": "椰城市民云 · 全市 1,000 余项政务服务网上办",
        "footer_text": "海口市政务服务中心 · 海口市人民政府主办",
        "contact_address": "海口市秀英区长滨路1号 海口市民游客中心", "contact_phone": "0898-12345",
        "contact_hours": "周一至周五 9:00-17:00（法定节假日除外）",
    }, {}),
    CHANGLIU: ({
        "color_primary": "#1e6b35", "color_primary_ink": "#ffffff",
        "logo_text": "长", "banner_title": "长流镇便民服务中心", "banner_subtitle": "就近办 · 马上办 · 一次办",
        "footer_text": "海口市秀英区长流镇人民政府 · 长流镇便民服务中心",
        "contact_address": "海口市秀英区长流镇长流墟长德路", "contact_phone": "0898-68720000",
    }, {"partials/banner.html": CHANGLIU_BANNER}),
}
DEMO_WINDOWS = {HAIKOU: ("海口市民游客中心 综合窗口", "海口市秀英区长滨路1号 海口市民游客中心一楼", 4),
                CHANGLIU: ("长流镇便民服务中心 窗口", "海口市秀英区长流镇长流墟长德路 便民服务中心", 2)}


def _context(database, code: str) -> TenantContext:
    with database.unit_of_work(TenantContext.system("seed context")) as session:
        return TenantContext.of(session.get(Tenant, code))


def seed_demo_themes(database) -> int:
    """Publish the demo themes of 海口市 and 长流镇 where they have none; the number published."""
    published = 0
    for code, (tokens, templates) in DEMO_THEMES.items():
        with database.unit_of_work(_context(database, code)) as session:
            if session.scalar(select(PortalTheme.id).where(PortalTheme.tenant_id == code,
                                                           PortalTheme.status == PUBLISHED)):
                continue
            themes.save_draft(session, code, tokens=tokens, templates=templates, actor=ACTOR)
            themes.publish_draft(session, code, actor=ACTOR)
            published += 1
    return published


def seed_demo_appointments(database) -> int:
    """Set up the demo windows of 海口市 and 长流镇 where they have none, opening their slots ahead; the number of
    slots created."""
    created = 0
    now = utcnow()
    for code, (name, address, capacity) in DEMO_WINDOWS.items():
        with database.unit_of_work(_context(database, code)) as session:
            if session.scalar(select(AppointmentWindow.id).where(AppointmentWindow.tenant_id == code)):
                continue
            settings = appointment_windows.WindowSettings(
                name=name, address=address, items=[], times=[list(t) for t in appointment_windows.DEFAULT_TIMES],
                capacity=capacity, horizon_days=10, open=True)
            _, opened = appointment_windows.save(session, code, settings, window_id=None, expected_revision=None,
                                                 actor=ACTOR, calendar=build_calendar(session), now=now)
            created += opened.created
    return created


def seed_demo_portal(database) -> dict:
    """Both of the above (what ``tongban seed --demo`` should call)."""
    return {"themes": seed_demo_themes(database), "slots": seed_demo_appointments(database)}
