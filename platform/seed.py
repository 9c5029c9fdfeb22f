"""`tongban seed [--demo]`: the province's tenants from the bundled division list, and demo content."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tongban.platform.content.notices import Notice, publish_notice
from tongban.tenants.divisions import bundled_hainan
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant
from tongban.tenants.tree import ImportResult, import_divisions

DEMO_NOTICES = {
    "46": [("海南省政务服务“一张审批网”全面上线", "全省各级政务服务事项实现一网通办、全省通办。"),
           ("关于2027年元旦假期政务服务大厅工作安排的通知", "元旦假期期间网上办事大厅正常受理申请。")],
    "4601": [("海口市企业开办“一窗通办”再提速", "企业设立登记、公章刻制、税务登记、社保登记一次办结。")],
    "4602": [("三亚市不动产登记实行“全省通办”", "申请人可在全省任一政务服务中心窗口提交申请。")],
    "460105100": [("长流镇便民服务中心延时服务公告", "工作日中午 12:00—14:30 提供延时服务。")],
}


@dataclass(frozen=True)
class SeedReport:
    tenants: ImportResult
    notices: int


def seed_tenants(database) -> ImportResult:
    with database.unit_of_work(TenantContext.system("seed tenants")) as session:
        return import_divisions(session, bundled_hainan())


def seed_demo(database) -> int:
    """Demo notices, once: a second run adds nothing."""
    created = 0
    for code, notices in DEMO_NOTICES.items():
        with database.unit_of_work(TenantContext(code=code)) as session:
            if session.get(Tenant, code) is None:
                continue
            if session.scalar(select(func.count()).select_from(Notice)):
                continue
            for title, body in notices:
                publish_notice(session, title=title, body=body)
                created += 1
    return created


def seed_calendar_data(database) -> int:
    from tongban.platform.calendar.store import seed_calendar

    with database.unit_of_work(TenantContext.system("seed calendar")) as session:
        return seed_calendar(session)


def seed(database, *, demo: bool, base_url: str = "http://localhost:8000") -> SeedReport:
    tenants = seed_tenants(database)
    seed_calendar_data(database)
    notices = seed_demo(database) if demo else 0
    if demo:
        from tongban.configurator.demo import seed_demo_catalogue
        from tongban.platform.identity.seed import seed_identity

        seed_identity(database, base_url=base_url)
        seed_demo_catalogue(database)
        from tongban.platform.portal.seed import seed_demo_portal

        seed_demo_portal(database)
        from tongban.platform.approval.demo import seed_demo_cases
        from tongban.platform.settings import load_settings

        from tongban.platform.sharing.install import register_issuer
        from tongban.platform.sharing.service import SharingService

        SharingService(database, secret_key=load_settings().secret_key).seed()
        register_issuer()
        seed_demo_cases(database, secret_key=load_settings().secret_key)
        SharingService(database, secret_key=load_settings().secret_key).seed_demo()
        from tongban.platform.construction.demo import seed_demo_projects

        seed_demo_projects(database)
        from tongban.platform.supervision.demo import seed_demo_supervision

        seed_demo_supervision(database, secret_key=load_settings().secret_key)
    return SeedReport(tenants, notices)
