"""The `tongban` command: serve, worker, db, tenants, seed, quickstart."""
from __future__ import annotations

import subprocess
import sys

import click
from rich.console import Console
from rich.tree import Tree

from tongban.platform.settings import SettingsError, load_settings

console = Console(soft_wrap=True)


def _settings():
    try:
        return load_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


def _database():
    from tongban.platform.db import Database

    return Database(_settings().database_url)


@click.group()
def main() -> None:
    """通办 Tongban — 海南省一张审批网 / Hainan's one approval network."""


@main.group()
def db() -> None:
    """数据库迁移 / Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="heads")
def db_upgrade(revision: str) -> None:
    from tongban.platform import migrate

    migrate.upgrade(_settings(), revision)
    console.print(f"[green]数据库已升级到 {revision} / database upgraded to {revision}[/green]")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    from tongban.platform import migrate

    migrate.downgrade(_settings(), revision)
    console.print(f"数据库已降级到 {revision} / database downgraded to {revision}")


@main.group()
def tenants() -> None:
    """租户（行政区划）/ Tenants (divisions)."""


@tenants.command("tree")
@click.option("--code", default=None, help="从该区划开始 / start at this division")
@click.option("--depth", default=9, type=int, help="显示层数 / levels to show")
def tenants_tree(code: str | None, depth: int) -> None:
    from tongban.tenants.directory import load_snapshot
    from tongban.tenants.isolation import TenantContext

    with _database().unit_of_work(TenantContext.system("cli tree")) as session:
        snapshot = load_snapshot(session)
    start = snapshot.by_code.get(code) if code else snapshot.root
    if start is None:
        raise click.ClickException(f"找不到区划 {code} / no such division {code}")
    tree = Tree(_label(start))
    _grow(tree, snapshot, start.code, depth - 1)
    console.print(tree)
    console.print(f"共 {len(snapshot.subtree(start.code))} 个租户 / {len(snapshot.subtree(start.code))} tenants")


def _label(t) -> str:
    mark = "" if t.active else " [red](已暂停 suspended)[/red]"
    return f"{t.name} [dim]{t.code} · {t.slug}[/dim]{mark}"


def _grow(node, snapshot, code: str, depth: int) -> None:
    if depth <= 0:
        return
    for child in snapshot.children.get(code, ()):
        _grow(node.add(_label(child)), snapshot, child.code, depth - 1)


@tenants.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def tenants_import(file: str) -> None:
    """导入区划清单 CSV（code,name,level,parent_code）/ import a division list."""
    from pathlib import Path

    from tongban.tenants.divisions import DivisionListInvalid
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.tree import import_divisions

    try:
        with _database().unit_of_work(TenantContext.system("cli import")) as session:
            result = import_divisions(session, Path(file).read_text("utf-8-sig"))
    except DivisionListInvalid as error:
        console.print("[red]导入失败，未写入任何数据 / import refused, nothing was written:[/red]")
        for problem in error.problems:
            console.print(f"  {problem}")
        sys.exit(1)
    console.print(f"新增 {result.created} 个，未变 {result.unchanged} 个 / {result.created} created, "
                  f"{result.unchanged} unchanged")


@tenants.command("suspend")
@click.argument("code")
def tenants_suspend(code: str) -> None:
    _set_status(code, "suspended")


@tenants.command("activate")
@click.argument("code")
def tenants_activate(code: str) -> None:
    _set_status(code, "active")


def _set_status(code: str, status: str) -> None:
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.models import TenantStatus
    from tongban.tenants.tree import TenantNotFound, set_status

    try:
        with _database().unit_of_work(TenantContext.system(f"cli {status}")) as session:
            tenant = set_status(session, code, TenantStatus(status))
    except TenantNotFound:
        raise click.ClickException(f"找不到区划 {code} / no such division {code}")
    console.print(f"{tenant.name} ({code}) → {status}")


@tenants.command("add-host")
@click.argument("code")
@click.argument("host")
def tenants_add_host(code: str, host: str) -> None:
    from tongban.tenants.isolation import TenantContext
    from tongban.tenants.tree import add_host

    with _database().unit_of_work(TenantContext.system("cli add host")) as session:
        add_host(session, code, host)
    console.print(f"{host} → {code}")


@main.group()
def audit() -> None:
    """审计 / Audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """校验全部办件的审计链 / check every case's hash-chained audit trail."""
    from tongban.platform.approval.events import verify_all
    from tongban.tenants.isolation import TenantContext

    with _database().unit_of_work(TenantContext.system("audit verify")) as session:
        checked, problems = verify_all(session)
    for p in problems:
        console.print(f"[red]{p.case_number} 第 {p.seq} 条：{p.problem}[/red]")
    console.print(f"已校验 {checked} 个办件，发现 {len(problems)} 处篡改 / {checked} cases checked, "
                  f"{len(problems)} problems")
    if problems:
        sys.exit(1)


@main.command()
@click.option("--demo", is_flag=True, help="同时写入演示数据 / add demo content")
def seed(demo: bool) -> None:
    """写入全省租户（及演示数据）/ seed the province's tenants (and demo content)."""
    from tongban.platform.seed import seed as run_seed

    report = run_seed(_database(), demo=demo)
    console.print(f"租户：新增 {report.tenants.created}，已有 {report.tenants.unchanged}；公告：新增 {report.notices}"
                  f" / tenants: {report.tenants.created} created, {report.tenants.unchanged} present;"
                  f" notices: {report.notices} created")


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option("--workers", default=1, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """启动网站 / serve the platform."""
    import uvicorn

    _settings()
    uvicorn.run("tongban.platform.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)


@main.command()
@click.option("--workers", default=2, type=int)
def worker(workers: int) -> None:
    """启动后台任务处理 / run a huey consumer."""
    import tongban.platform.tasks  # noqa: F401  (registers the tasks)
    from tongban.platform.jobs import huey
    from tongban.platform.web.logs import configure_logging

    configure_logging(_settings().log_json)  # as the web process: what the tasks log (messages sent, ticks) shows
    console.print(f"huey consumer: {type(huey.storage).__name__}, {workers} workers")
    huey.create_consumer(workers=workers, worker_type="thread").run()


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
def quickstart(host: str, port: int) -> None:
    """迁移、写入演示数据并启动 / migrate, seed the demo and serve on localhost."""
    from tongban.platform import migrate
    from tongban.platform.seed import seed as run_seed

    settings = _settings()
    migrate.upgrade(settings)
    report = run_seed(_database(), demo=True, base_url=f"http://localhost:{port}")
    console.print(f"[green]已就绪：{report.tenants.created + report.tenants.unchanged} 个租户[/green]")
    console.print(f"打开 Open http://localhost:{port}/  ·  长流镇: http://localhost:{port}/t/460105100/"
                  f"  ·  登录 Sign in: http://localhost:{port}/login (演示账号见 README / demo accounts in README)")
    # the job queue's consumer beside the server, as deployed: notices are sent (logged), supervision ticks,
    # appointment slots open as days go by; it stops with the server
    background = subprocess.Popen([sys.executable, "-c", "from tongban.platform.cli import main; main()",
                                   "worker", "--workers", "2"])
    console.print("后台任务已启动 / job consumer started (notices, supervision, appointment slots)")
    try:
        serve.callback(host=host, port=port, workers=1)
    finally:
        background.terminate()
        try:
            background.wait(timeout=15)
        except subprocess.TimeoutExpired:
            background.kill()


from tongban.platform.identity.cli import register as _register_identity  # noqa: E402
_register_identity(main)
from tongban.configurator.catalogue_io.cli import register as _register_catalogue  # noqa: E402
_register_catalogue(main)

from tongban.platform.supervision.cli import register as _register_supervision  # noqa: E402
_register_supervision(main)

if __name__ == "__main__":
    main()
