"""First-party OAuth clients and the demo accounts (listed in DEMO_ACCOUNTS.md). Safe to run twice."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from stdnum.cn import ric, uscc

from tongban.platform.identity import accounts, clients
from tongban.platform.identity.common import system_clock
from tongban.platform.identity.grants import grant_role
from tongban.platform.identity.models import Account, Client, Enterprise
from tongban.platform.identity.passwords import Passwords
from tongban.platform.identity.permissions import Role
from tongban.tenants.isolation import TenantContext

DEMO_PASSWORD = "Tongban@2026"
SEED_ACTOR = "seed"
FIRST_PARTY = {  # client id: (name, path prefix of its /auth routes, scopes)
    "portal": (
        "政务服务门户 Portal",
        "",
        "openid profile email phone identity:resident_id catalog:read cases:read cases:write",
    ),
    "workbench": (
        "工作台 Workbench",
        "/workbench",
        "openid profile email phone identity:resident_id catalog:read cases:read cases:write",
    ),
    "admin": ("配置管理 Admin", "/admin", "openid profile email phone catalog:read catalog:write"),
}
API_CLIENT = "tongban-api"

# username, name, home tenant, department, [(role, tenant, subtree)], TOTP secret (base32, demo only)
DEMO_STAFF = [
    (
        "province.admin",
        "陈省管",
        "46",
        "省政务服务数据管理局",
        [(Role.PROVINCE_ADMIN, "46", True)],
        "2P7O4KN4WDQICUEITWMALFZE5NGJUAQ2",
    ),
    (
        "province.supervisor",
        "林监察",
        "46",
        "省政务服务中心监察处",
        [(Role.SUPERVISOR, "46", True)],
        "ACB6V2IZNMHFUQXNQDSAS2C7F2XFAI6L",
    ),
    (
        "haikou.admin",
        "吴海管",
        "4601",
        "海口市政务服务中心",
        [(Role.TENANT_ADMIN, "4601", True)],
        "4O7FPO54AYGLWHPBVONGXY74CLBOGVXL",
    ),
    (
        "haikou.clerk",
        "符窗口",
        "4601",
        "海口市政务服务中心综合窗口",
        [(Role.WINDOW_CLERK, "4601", False)],
        "CH2PMOI7GYQDWSNMHFFYNAPBOQOENSH6",
    ),
    (
        "haikou.approver",
        "邢审批",
        "4601",
        "market_regulation",  # 海口市市场监督管理局: reviews, inspects, decides and issues its items
        [(Role.APPROVER, "4601", False), (Role.REVIEWER, "4601", False), (Role.INSPECTOR, "4601", False),
         (Role.CERTIFICATE_CLERK, "4601", False), (Role.HANDLER, "4601", False), (Role.CASHIER, "4601", False)],
        "KL4SKQ5VPZ7A2KE73TJBAE6U3OFFT7AJ",
    ),
    (
        "haikou.civil",
        "云科长",
        "4601",
        "civil_affairs",  # 海口市民政局: decides the 低保 the townships report up
        [(Role.APPROVER, "4601", False), (Role.HANDLER, "4601", False)],
        "BYAIORQE6GSVEQFIJ4V5OXGS333DRVLU",
    ),
    (
        "haikou.tax",
        "吉专管",
        "4601",
        "taxation",  # 国家税务总局海口市税务局: its branch of 多证合一
        [(Role.HANDLER, "4601", False)],
        "WKNQBVEPKBX6Z3Y2U7R3KASL2YBMEDOB",
    ),
    (
        "haikou.police",
        "麦警官",
        "4601",
        "public_security",  # 海口市公安局: 刻章备案 in 多证合一
        [(Role.HANDLER, "4601", False)],
        "VAB2BBIIJ6MYZGHUCD5B4HBOCKXTF5YR",
    ),
    (
        "haikou.hrss",
        "陈社保",
        "4601",
        "human_resources_social_security",  # 海口市人力资源和社会保障局: 社保登记 in 多证合一
        [(Role.HANDLER, "4601", False)],
        "GRSUEZRYMW24AM4BDDS6GK4K2XW7ODJD",
    ),
    (
        "changliu.clerk",
        "吴便民",
        "460105100",
        "长流镇便民服务中心综合窗口",
        [(Role.WINDOW_CLERK, "460105100", False)],
        "BXALUIEOKKECKIQBNLZS53GG7FD64P7X",
    ),
    (
        "changliu.approver",
        "陈所长",
        "460105100",
        "market_regulation",  # 长流市场监督管理所: the township's own station handles its items
        [(Role.APPROVER, "460105100", False), (Role.REVIEWER, "460105100", False),
         (Role.CERTIFICATE_CLERK, "460105100", False), (Role.HANDLER, "460105100", False)],
        "XUCKF6TZ2FKVJQZDOXQT6JIOOBDHL7ZO",
    ),
    (
        "changliu.civil",
        "符专干",
        "460105100",
        "civil_affairs",  # 长流镇社会事务办: surveys households for 低保 and the like
        [(Role.SOCIAL_ASSISTANCE_OFFICER, "460105100", False), (Role.HANDLER, "460105100", False)],
        "2JLCT4FXEUQA45ADMIV2ZKGE5ABPBJX3",
    ),
    (
        "changliu.leader",
        "王镇长",
        "460105100",
        "长流镇人民政府",
        [(Role.TOWNSHIP_LEADER, "460105100", False)],
        "VRADCFUGVEBE57PT5PLPDNBE5H57BT6G",
    ),
    (
        "sanya.clerk",
        "黎窗口",
        "4602",
        "三亚市政务服务中心综合窗口",
        [(Role.WINDOW_CLERK, "4602", False)],
        "XSZGQJICZSOFTVV4EJK2QD7NZUAY7CLP",
    ),
    (
        "sanya.approver",
        "羊审批",
        "4602",
        "market_regulation",  # 三亚市市场监督管理局
        [(Role.APPROVER, "4602", False), (Role.REVIEWER, "4602", False), (Role.INSPECTOR, "4602", False),
         (Role.CERTIFICATE_CLERK, "4602", False), (Role.HANDLER, "4602", False)],
        "2ZXGKMMHOLAGY5CD26JVQYN2TEGROXE3",
    ),
]


@dataclass(frozen=True)
class IdentitySeedReport:
    clients: int
    accounts: int


def first_party_secret(secret_key: str, client_id: str) -> str:
    """First-party clients' secrets derive from the platform secret: the relying-party helper in the same
    deployment computes the same value, so no secret is copied around."""
    return hmac.new(
        secret_key.encode(), f"tongban first-party client {client_id}".encode(), hashlib.sha256
    ).hexdigest()


def first_party_uris(base_url: str, prefix: str, suffix: str) -> list[str]:
    parts = urlsplit(base_url.rstrip("/"))
    port = f":{parts.port}" if parts.port else ""
    host = parts.hostname or "localhost"
    origins = [f"{parts.scheme}://{host}{port}"]
    if host == "localhost":
        origins.append(f"{parts.scheme}://127.0.0.1{port}")
    uris = [f"{parts.scheme}://{{slug}}.{host}{port}{prefix}{suffix}"]
    for origin in origins:
        uris += [f"{origin}{prefix}{suffix}", f"{origin}/t/{{code}}{prefix}{suffix}"]
    return uris


def seed_first_party_clients(session, *, secret_key: str, base_url: str) -> int:
    created = 0
    for client_id, (name, prefix, scope) in FIRST_PARTY.items():
        existing = session.get(Client, client_id)
        if existing is not None:
            _add_missing_scopes(existing, scope)
            continue
        clients.register_client(
            session,
            name=name,
            client_type=clients.CONFIDENTIAL,
            client_id=client_id,
            redirect_uris=first_party_uris(base_url, prefix, "/auth/callback"),
            post_logout_redirect_uris=first_party_uris(base_url, prefix, "/"),
            scope=scope,
            first_party=True,
            actor=SEED_ACTOR,
            secret=first_party_secret(secret_key, client_id),
        )
        created += 1
    if session.get(Client, API_CLIENT) is None:
        clients.register_client(
            session,
            name="GraphQL API（资源服务）",
            client_type=clients.CONFIDENTIAL,
            client_id=API_CLIENT,
            redirect_uris=[],
            scope="catalog:read",
            first_party=True,
            may_introspect=True,
            actor=SEED_ACTOR,
            secret=first_party_secret(secret_key, API_CLIENT),
        )
        created += 1
    return created


def _add_missing_scopes(client: Client, scope: str) -> None:
    """A first-party client seeded before a scope existed gets it on the next seed (safe to run twice)."""
    missing = [s for s in scope.split() if s not in client.scope.split()]
    if missing:
        client.scope = " ".join([*client.scope.split(), *missing])


def demo_resident_id(region: str, birth: str, sequence: str) -> str:
    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a check digit slot


def demo_uscc(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _seed_people(session, passwords: Passwords) -> int:
    if accounts.by_username(session, "citizen") is not None:
        return 0
    accounts.register_person(
        session,
        passwords,
        username="citizen",
        password=DEMO_PASSWORD,
        name="王小明",
        id_number=demo_resident_id("460100", "19900307", "001"),
        contact=accounts.Contact("citizen@example.cn", "13800000001"),
        assurance=accounts.AssuranceLevel.ID_VERIFIED,
    )
    agent = accounts.register_person(
        session,
        passwords,
        username="agent",
        password=DEMO_PASSWORD,
        name="李海燕",
        id_number=demo_resident_id("460200", "19901120", "002"),
        contact=accounts.Contact("agent@example.cn", "13800000002"),
        assurance=accounts.AssuranceLevel.IN_PERSON,
    )
    enterprise = accounts.register_enterprise(
        session,
        name="海南椰风科技有限公司",
        uscc_code=demo_uscc("91460100MA5T0YF0P"),
        legal_representative="李海燕",
    )
    accounts.add_agent(session, enterprise, agent, actor=SEED_ACTOR, capacity="legal_representative")
    return 2


def _seed_staff(session, passwords: Passwords) -> int:
    created, now = 0, system_clock()
    for username, name, home, department, roles, secret in DEMO_STAFF:
        if accounts.by_username(session, username) is not None:
            continue
        account = accounts.register_staff(
            session,
            passwords,
            username=username,
            password=DEMO_PASSWORD,
            name=name,
            home_tenant_code=home,
            department=department,
            contact=accounts.Contact(f"{username}@hainan.example.cn"),
        )
        account.totp_secret, account.totp_enabled_at = secret, now
        for role, tenant, subtree in roles:
            grant_role(
                session,
                account=account,
                role=role,
                tenant_code=tenant,
                extends_to_subtree=subtree,
                granter=None,
                actor=SEED_ACTOR,
            )
        created += 1
    return created


def seed_identity(
    database,
    *,
    secret_key: str | None = None,
    base_url: str = "http://localhost:8000",
    passwords: Passwords | None = None,
) -> IdentitySeedReport:
    """First-party clients for ``base_url`` and the demo accounts; nothing twice."""
    if secret_key is None:
        from tongban.platform.settings import load_settings

        secret_key = load_settings().secret_key
    passwords = passwords or Passwords()
    with database.unit_of_work(TenantContext.none()) as session:
        created_clients = seed_first_party_clients(session, secret_key=secret_key, base_url=base_url)
        created = _seed_people(session, passwords) + _seed_staff(session, passwords)
    return IdentitySeedReport(created_clients, created)


def demo_enterprise(session) -> Enterprise | None:
    return session.scalar(select(Enterprise).where(Enterprise.name == "海南椰风科技有限公司"))


def demo_account(session, username: str) -> Account | None:
    return accounts.by_username(session, username)
