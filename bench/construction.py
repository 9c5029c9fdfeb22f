"""Construction benchmark: assembling a stage form of 10 items, and one project dashboard with 1,000 projects
in flight, each beside a bare primary-key query measured in the same run, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/construction.py [--projects 1000]
                                            [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
The 1,000 projects are one project walked through the service (its 立项 stage accepted, items open) and
copies of its rows bulk-inserted; the dashboard reads one of them (clock, what each department owes, the
timeline data and the SVG). Also timed: the lead department's one acceptance of a 立项 stage, which opens
each item as an approval-engine case (submitted for the investor and accepted), median of five projects.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tongban.platform import migrate
from tongban.platform.approval.actors import Actor
from tongban.platform.construction import catalogue, timeline_svg
from tongban.platform.construction.demo import WINDOW, apply
from tongban.platform.construction.models import ItemCase, Project, ProjectStage, StageMaterial
from tongban.platform.construction.projects import ProjectApplication
from tongban.platform.construction.service import ConstructionService
from tongban.platform.construction.setup import install
from tongban.platform.db import Database, utcnow
from tongban.platform.seed import seed_calendar_data, seed_tenants
from tongban.platform.settings import load_settings
from tongban.tenants.isolation import TenantContext

TEN_ITEMS = ["HN-GC-001", "HN-GC-002", "HN-ST-001", "HN-GC-003", "HN-GC-004", "HN-GC-005", "HN-GC-006",
             "HN-GC-007", "HN-GC-008", "HN-GC-009"]
INVESTOR = Actor("enterprise:bench", "海南椰风科技有限公司", "applicant")


def timed(work, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def statements(db, work) -> int:
    seen = []
    listener = lambda *_a: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def project_application(n: int) -> ProjectApplication:
    return ProjectApplication(code=f"2026-460100-65-03-{n:06d}", name=f"基准项目 {n}", investor_uscc="91460100MA5T0YF0PN",
                              investor_name="海南椰风科技有限公司", area="海口国家高新区", investment_wan_yuan="1000",
                              land_area_m2="5000", industry="software", project_type="social")


def copy_project(db, source_id: int, count: int) -> None:
    """``count`` copies of the source project's rows in one transaction (as many projects in flight)."""
    with db.unit_of_work(TenantContext.system("bench copies")) as session:
        source = session.get(Project, source_id)
        stages = list(session.scalars(select(ProjectStage).where(ProjectStage.project_id == source_id)))
        cases = list(session.scalars(select(ItemCase).where(ItemCase.project_id == source_id)))
        materials = list(session.scalars(select(StageMaterial).where(StageMaterial.stage_id.in_([s.id for s in stages]))))
        columns = lambda row: {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}  # noqa: E731
        for n in range(count):
            project = Project(**{**columns(source), "code": f"2026-460100-65-04-{n:06d}", "name": f"在途项目 {n}"})
            session.add(project)
            session.flush()
            new_stage = {}
            for stage in stages:
                row = ProjectStage(**{**columns(stage), "project_id": project.id})
                session.add(row)
                new_stage[stage.id] = row
            session.flush()
            session.add_all([ItemCase(**{**columns(c), "project_id": project.id, "stage_id": new_stage[c.stage_id].id,
                                         "case_number": f"B{n}-{c.id}"}) for c in cases])
            session.add_all([StageMaterial(**{**columns(m), "stage_id": new_stage[m.stage_id].id}) for m in materials])


def bare(db, tenant_context, project_id: int) -> int:
    with db.unit_of_work(tenant_context) as session:
        return session.execute(text("SELECT id FROM construction_projects WHERE id = :i"), {"i": project_id}).scalar()


def run(label: str, app_url: str, admin_url: str, projects: int) -> dict:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db = Database(app_url, pool_size=4)
    seed_tenants(db)
    seed_calendar_data(db)
    service = ConstructionService(db)
    install(db, service)
    with db.unit_of_work(TenantContext.of(service._tenant("46"))) as session:  # a stage of ten items
        catalogue.save_template(session, Actor.system(), stage="planning", name_zh="规划报建", name_en="Planning",
                                lead_department="natural_resources", limit_days=12, item_codes=TEN_ITEMS)
    start = utcnow() - timedelta(days=10)
    project = service.register("4601", INVESTOR, project_application(1), now=start)
    apply(service, project, "approval", INVESTOR, start, leave_out=("approval_doc",))
    service.accept(project.id, "approval", WINDOW, now=start + timedelta(hours=2))
    copy_project(db, project.id, projects - 1)
    context = TenantContext.of(service._tenant("4601"))

    bare_ms, _ = timed(lambda: bare(db, context, project.id), 200)
    form_ms, form = timed(lambda: service.stage_form(project.id, "planning"), 30)
    dash_ms, board = timed(lambda: service.dashboard(project.id), 30)
    svg_ms, _ = timed(lambda: timeline_svg.render(board.timeline, board.now), 30)
    form_statements = statements(db, lambda: service.stage_form(project.id, "planning"))
    dash_statements = statements(db, lambda: service.dashboard(project.id))
    with db.unit_of_work(TenantContext.system("count")) as session:
        in_flight = session.scalar(text("SELECT count(*) FROM construction_projects"))
    assert len(form.items) == 10 and in_flight == projects, (len(form.items), in_flight)
    fanout, opened = [], 0
    for k in range(5):  # the fan-out: one acceptance → every item an approval case at its department
        fresh = service.register("4601", INVESTOR, project_application(projects + 100 + k), now=start)
        apply(service, fresh, "approval", INVESTOR, start, leave_out=("approval_doc",))
        began = time.perf_counter()
        items = service.accept(fresh.id, "approval", WINDOW, now=start + timedelta(hours=2))
        fanout.append((time.perf_counter() - began) * 1000)
        opened = sum(1 for i in items if i.approval_case_id)
    db.dispose()
    return {"label": label, "bare": bare_ms, "form": form_ms, "dash": dash_ms, "svg": svg_ms,
            "form_statements": form_statements, "dash_statements": dash_statements, "fields": len(form.schema["fields"]),
            "asked": form.asked, "materials": len(form.materials), "in_flight": in_flight,
            "fanout": statistics.median(fanout), "opened": opened}


def report(r: dict) -> None:
    print(f"\n{r['label']}: {r['in_flight']} projects in flight")
    print(f"  bare primary-key query          {r['bare']:8.2f} ms")
    print(f"  stage form of 10 items          {r['form']:8.2f} ms  ({r['form'] / r['bare']:6.1f}× bare; "
          f"{r['form_statements']} statements; {r['fields']} fields asked instead of {r['asked']}, "
          f"{r['materials']} materials)")
    print(f"  project dashboard               {r['dash']:8.2f} ms  ({r['dash'] / r['bare']:6.1f}× bare; "
          f"{r['dash_statements']} statements)")
    print(f"  timeline SVG alone              {r['svg']:8.2f} ms")
    print(f"  stage acceptance, fan-out       {r['fanout']:8.2f} ms  ({r['fanout'] / r['bare']:6.1f}× bare; "
          f"{r['opened']} items opened as approval cases, submitted and accepted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--postgres", help="an admin URL; a scratch database is created and dropped")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    report(run("SQLite", f"sqlite:///{path}", f"sqlite:///{path}", args.projects))
    if args.postgres:
        from scratch_db import scratch_postgres

        with scratch_postgres(args.postgres) as (app_url, admin_url):
            report(run("PostgreSQL", app_url, admin_url, args.projects))


if __name__ == "__main__":
    main()
