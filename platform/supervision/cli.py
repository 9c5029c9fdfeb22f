"""`tongban simulate vertical`: a vertical department system reporting cases into supervision (demos, tests)."""
from __future__ import annotations

from datetime import datetime

import click


def _database():
    from tongban.platform.db import Database
    from tongban.platform.settings import SettingsError, load_settings

    try:
        return Database(load_settings().database_url)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def simulate() -> None:
    """模拟外部系统 / drive the platform the way outside systems do."""


@simulate.command()
@click.option("--client", "client_id", default="gat-demo", help="接入系统编号 / the vertical system's client id")
@click.option("--tenant", default="4601", help="所属区划 / the tenant the system reports for")
@click.option("--department", default="公安局", help="部门 / the department")
@click.option("--cases", default=20, type=click.IntRange(1, 100_000), help="办件数 / cases to report")
@click.option("--seed", default=1, type=int, help="随机种子 / random seed (same seed, same messages)")
@click.option("--start", default=None, help="首件提交时间 / first submission (ISO 8601, with offset)")
@click.option("--duplicates", default=0.2, type=click.FloatRange(0, 1), help="重复报文比例 / share sent twice")
@click.option("--webhook", default=None, help="告警回推地址 / webhook URL for the alerts")
@click.option("--tick/--no-tick", default=True, help="随后运行一次监察扫描 / run the supervision tick after")
def vertical(client_id: str, tenant: str, department: str, cases: int, seed: int, start: str | None,
             duplicates: float, webhook: str | None, tick: bool) -> None:
    """垂直业务系统报送办件 / a vertical system reports cases (out of order, some twice)."""
    from tongban.platform.supervision.errors import SupervisionError
    from tongban.platform.supervision.vertical.simulate import simulate_vertical

    try:
        first = datetime.fromisoformat(start) if start else None
    except ValueError as error:
        raise click.BadParameter("应为 ISO 8601 时间 / use ISO 8601, e.g. 2026-03-02T09:00:00+08:00",
                                 param_hint="--start") from error
    if first is not None and first.tzinfo is None:
        raise click.BadParameter("请带时区 / give a UTC offset, e.g. +08:00", param_hint="--start")
    database = _database()
    try:
        summary = simulate_vertical(database, client_id=client_id, tenant=tenant, department=department, cases=cases,
                                    seed=seed, start=first, duplicate_share=duplicates, webhook_url=webhook)
    except SupervisionError as error:
        raise click.ClickException(f"{error.zh} / {error.en}") from error
    click.echo(f"报送 {summary['cases']} 件，报文 {summary['messages']} 条（重复 {summary['replayed']} 条未改变任何数据），"
               f"不予许可 {summary['refused']} 件，错误 {len(summary['errors'])} 条")
    click.echo(f"Reported {summary['cases']} cases in {summary['messages']} messages ({summary['replayed']} replays "
               f"changed nothing), {summary['refused']} refused, {len(summary['errors'])} rejected")
    if tick:
        from tongban.platform.supervision.tick import tick as run_tick

        result = run_tick(database)
        click.echo(f"监察扫描：新增告警 {len(result.alerts)} 条 / supervision tick raised {len(result.alerts)} alerts")


def register(main: click.Group) -> None:
    main.add_command(simulate)
