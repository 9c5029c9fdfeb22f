"""`tongban simulate vertical` as an operator runs it for a demo: cases reported, replays changing nothing, the
tick raising the alerts of the late ones; a bad start time refused with a clear message."""
from click.testing import CliRunner
from sqlalchemy import func, select

from tongban.platform.approval.models import Case
from tongban.platform.cli import main
from tongban.platform.supervision.models import Alert
from tongban.tenants.isolation import TenantContext


def run(*args):
    return CliRunner().invoke(main, ["simulate", "vertical", *map(str, args)])


def counts(db):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return (s.scalar(select(func.count()).select_from(Case).where(Case.case_type == "vertical")),
                s.scalar(select(func.count()).select_from(Alert)))


def test_simulated_cases_arrive_once_and_their_alerts_are_raised(db):
    first = run("--cases", 6, "--seed", 3, "--duplicates", 0.5)
    assert first.exit_code == 0, first.output
    assert "报送 6 件" in first.output and "Reported 6 cases" in first.output and "rejected" in first.output
    cases, raised = counts(db)
    assert cases == 6 and raised > 0
    again = run("--cases", 6, "--seed", 3, "--no-tick")
    assert again.exit_code == 0 and counts(db) == (6, raised)
    assert "changed nothing" in again.output


def test_a_start_without_offset_is_refused(db):
    result = run("--cases", 1, "--start", "2026-03-02T09:00:00")
    assert result.exit_code != 0 and "+08:00" in result.output and counts(db)[0] == 0
