"""`tongban identity ...`: grant and revoke roles, grant restricted scopes, set a client's back-channel logout URI,
sign an account out everywhere, rotate signing keys, seed the demo identities."""

from __future__ import annotations

import getpass

import click

from tongban.platform.identity.common import IdentityError


def _service():
    from tongban.platform.db import Database
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.service import IdentityService
    from tongban.platform.settings import SettingsError, load_settings

    try:
        settings = load_settings()
        return IdentityService(Database(settings.database_url), config_from_settings(settings))
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in some containers
        return "cli"


@click.group("identity")
def identity() -> None:
    """统一身份认证 / Unified identity."""


def _change_role(username: str, role: str, tenant: str, subtree: bool | None) -> str:
    from tongban.platform.identity.accounts import by_username
    from tongban.platform.identity.grants import grant_role, revoke_role
    from tongban.platform.identity.permissions import parse_role

    service = _service()
    try:
        with service.unit() as session:
            account = by_username(session, username)
            if account is None:
                raise click.ClickException(f"找不到账号 {username} / no such account {username}")
            if subtree is None:
                revoke_role(
                    session,
                    account=account,
                    role=parse_role(role),
                    tenant_code=tenant,
                    granter=None,
                    actor=_actor(),
                )
                return f"已撤销 {username} 在 {tenant} 的 {role} / revoked {role} at {tenant} from {username}"
            grant_role(
                session,
                account=account,
                role=parse_role(role),
                tenant_code=tenant,
                extends_to_subtree=subtree,
                granter=None,
                actor=_actor(),
            )
            below = "（含下级 and below）" if subtree else ""
            return (
                f"已授予 {username} 在 {tenant}{below} 的 {role} / granted {role} at {tenant} to {username}"
            )
    except IdentityError as error:
        raise click.ClickException(str(error)) from error
    finally:
        service.database.dispose()


@identity.command("grant")
@click.argument("username")
@click.argument("role")
@click.argument("tenant")
@click.option("--subtree", is_flag=True, help="同时覆盖所有下级地区 / also every tenant below")
def grant(username: str, role: str, tenant: str, subtree: bool) -> None:
    """授予角色：USERNAME ROLE TENANT / grant a role at a tenant (division code)."""
    click.echo(_change_role(username, role, tenant, subtree))


@identity.command("revoke")
@click.argument("username")
@click.argument("role")
@click.argument("tenant")
def revoke(username: str, role: str, tenant: str) -> None:
    """撤销角色 / revoke a role at a tenant."""
    click.echo(_change_role(username, role, tenant, None))


@identity.command("roles")
@click.argument("username")
def roles(username: str) -> None:
    """列出账号的角色 / list an account's role grants."""
    from tongban.platform.identity.accounts import by_username
    from tongban.platform.identity.grants import grants_of

    service = _service()
    with service.unit() as session:
        account = by_username(session, username)
        if account is None:
            raise click.ClickException(f"找不到账号 {username} / no such account {username}")
        for g in grants_of(session, account.id):
            click.echo(f"{g.role}\t{g.tenant_code}\t{'subtree' if g.subtree else 'self'}")
    service.database.dispose()


@identity.command("rotate-keys")
def rotate_keys() -> None:
    """轮换签名密钥（旧公钥继续发布至其令牌过期）/ rotate the token signing key."""
    service = _service()
    kid = service.rotate_keys(actor=_actor())
    service.database.dispose()
    click.echo(f"新的签名密钥 / new signing key: {kid}")


@identity.command("grant-scope")
@click.argument("client_id")
@click.argument("scope")
def grant_scope(client_id: str, scope: str) -> None:
    """允许第三方应用申请受限权限范围（如 identity:resident_id）/ let an app request a restricted scope."""
    from tongban.platform.identity.clients import grant_restricted_scope

    _change_client(client_id, lambda session, client: grant_restricted_scope(session, client, scope, actor=_actor()))
    click.echo(f"已授予 {client_id}：{scope} / granted {scope} to {client_id}")


@identity.command("backchannel-logout")
@click.argument("client_id")
@click.argument("uri", default="")
@click.option("--session-required/--no-session-required", default=False,
              help="退出令牌须含 sid / the client requires sid in logout tokens")
def backchannel_logout(client_id: str, uri: str, session_required: bool) -> None:
    """设置（或以空地址清除）应用的退出通知地址 / set (or clear, with no URI) a client's back-channel logout URI."""
    from tongban.platform.identity.clients import set_backchannel_logout

    _change_client(client_id, lambda session, client: set_backchannel_logout(
        session, client, uri, session_required=session_required, actor=_actor()))
    shown = uri.strip() or "（已清除 / cleared）"
    click.echo(f"{client_id} 的退出通知地址 / back-channel logout URI: {shown}")


def _change_client(client_id: str, change) -> None:
    """``change(session, client)`` in one unit of work; a missing client or a refusal is a clear CLI error."""
    from tongban.platform.identity.models import Client

    service = _service()
    try:
        with service.unit() as session:
            client = session.get(Client, client_id)
            if client is None:
                raise click.ClickException(f"找不到应用 {client_id} / no such client {client_id}")
            change(session, client)
    except IdentityError as error:
        raise click.ClickException(str(error)) from error
    finally:
        service.database.dispose()


@identity.command("sign-out")
@click.argument("username")
def sign_out(username: str) -> None:
    """结束某账号的全部登录（含各应用）/ end every session of an account, at every client too."""
    service = _service()
    try:
        ended = service.revoke_sessions(username, actor=_actor())
    except IdentityError as error:
        raise click.ClickException(str(error)) from error
    finally:
        service.database.dispose()
    click.echo(f"已结束 {username} 的 {ended} 个登录 / ended {ended} sessions of {username}")


@identity.command("seed")
@click.option("--base-url", default="http://localhost:8000", help="门户地址 / where the web rooms are served")
def seed(base_url: str) -> None:
    """写入一方客户端和演示账号 / first-party clients and demo accounts (see DEMO_ACCOUNTS.md)."""
    from tongban.platform.identity.seed import seed_identity

    service = _service()
    report = seed_identity(service.database, secret_key=service.config.secret_key, base_url=base_url)
    service.database.dispose()
    click.echo(
        f"客户端新增 {report.clients}，账号新增 {report.accounts} / {report.clients} clients, "
        f"{report.accounts} accounts created"
    )


def register(main_group: click.Group) -> None:
    main_group.add_command(identity)
