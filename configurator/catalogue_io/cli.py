"""`tongban catalogue export | import | seed-demo`: parse, call one domain service, print the result."""
from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tongban.platform.settings import SettingsError, load_settings

console = Console(soft_wrap=True)
STAGES = {"import": "导入 importing", "publish": "发布 publishing", "seed": "演示事项 demo items"}


def _database():
    from tongban.platform.db import Database

    try:
        return Database(load_settings().database_url)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def _progress_bar():
    """A rich progress bar, one task per stage, fed by the services' ``progress(stage, done, total)``."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        tasks: dict[str, int] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield advance


@click.group("catalogue")
def catalogue_group() -> None:
    """事项目录导入导出 / Catalogue import and export (.xlsx, .json)."""


@catalogue_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--owner", default="46", show_default=True, help="事项所属区划 / the authoring tenant")
@click.option("--published", "published_only", is_flag=True, help="只导出已发布版本 / published versions only")
def export_command(file: str, owner: str, published_only: bool) -> None:
    """导出事项目录到 FILE.xlsx 或 FILE.json / export the catalogue."""
    from tongban.configurator.catalogue_io import UnknownFormat, export_catalogue
    from tongban.configurator.demo.seed import TenantMissing

    try:
        count = export_catalogue(_database(), file, owner=owner, published_only=published_only)
    except (UnknownFormat, TenantMissing) as error:
        raise click.ClickException(str(error)) from error
    console.print(f"已导出 {count} 个事项到 {file} / exported {count} items to {file}")


@catalogue_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--publish", "publish_to", default=None, metavar="CODE",
              help="导入后发布到该区划及其下级，如 46 / publish to this division's subtree, e.g. 46")
@click.option("--owner", default="46", show_default=True, help="事项所属区划 / the authoring tenant")
@click.option("--actor", default="system:cli", show_default=True, help="记入审计日志的操作人 / audited actor")
def import_command(file: str, publish_to: str | None, owner: str, actor: str) -> None:
    """从 FILE 导入事项（先整体检查，有误则不写入）/ import items, all or nothing."""
    from tongban.configurator.catalogue_io import ImportInvalid, UnknownFormat, import_catalogue
    from tongban.configurator.demo.seed import TenantMissing

    try:
        with _progress_bar() as progress:
            report = import_catalogue(_database(), file, actor=actor, owner=owner, publish_to=publish_to,
                                      progress=progress)
    except ImportInvalid as error:
        console.print(f"[red]导入失败，未写入任何数据（{len(error.problems)} 处问题）/ import refused, "
                      f"nothing was written ({len(error.problems)} problems):[/red]")
        for problem in error.problems:
            console.print(f"  {problem}", markup=False)
        sys.exit(1)
    except (UnknownFormat, TenantMissing) as error:
        raise click.ClickException(str(error)) from error
    created, updated, unchanged, published = (len(report.created), len(report.updated), len(report.unchanged),
                                              len(report.published))
    console.print(f"新增 {created}，更新 {updated}，未变 {unchanged}，发布 {published} / {created} created, "
                  f"{updated} updated, {unchanged} unchanged, {published} published")


@catalogue_group.command("seed-demo")
@click.option("--actor", default="system:seed", show_default=True)
def seed_demo_command(actor: str) -> None:
    """写入并向全省发布演示事项（可重复运行）/ add and publish the demo items; safe to run twice."""
    from tongban.configurator.demo.seed import TenantMissing, seed_demo_catalogue

    try:
        with _progress_bar() as progress:
            created = seed_demo_catalogue(_database(), actor=actor,
                                          progress=lambda done, total: progress("seed", done, total))
    except TenantMissing as error:
        raise click.ClickException(str(error)) from error
    console.print(f"演示事项：新增并发布 {created} 个 / demo items: {created} created and published")


def register(main_group: click.Group) -> None:
    main_group.add_command(catalogue_group)
