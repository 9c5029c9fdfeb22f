"""`tongban catalogue export | import | seed-demo` as an administrator runs them."""
from click.testing import CliRunner
from tests_support import tenant_context, tenant_row

from tongban.configurator.publishing.effective import effective_item
from tongban.platform.cli import main


def run(*args):
    return CliRunner().invoke(main, ["catalogue", *map(str, args)])


def test_seed_demo_twice_adds_nothing_the_second_time(db, files):
    first, second = run("seed-demo"), run("seed-demo")
    assert first.exit_code == 0, first.output
    assert f"{len(files.rows())} created" in first.output
    assert second.exit_code == 0 and "0 created" in second.output


def test_export_then_import_the_same_file_changes_nothing(db, files, tmp_path):
    run("seed-demo")
    for name in ("catalogue.xlsx", "catalogue.json"):
        exported = run("export", tmp_path / name)
        assert exported.exit_code == 0 and f"exported {len(files.rows())} items" in exported.output
        imported = run("import", tmp_path / name, "--publish", "46")
        assert imported.exit_code == 0, imported.output
        assert f"0 created, 0 updated, {len(files.rows())} unchanged, 0 published" in imported.output


def test_import_with_publish_serves_the_items(db, files):
    result = run("import", files.write("new.xlsx"), "--publish", "46")
    assert result.exit_code == 0, result.output
    count = len(files.rows())
    assert f"{count} created" in result.output and f"{count} published" in result.output
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        assert effective_item(s, tenant_row(db, "460105100"), "HN-RS-001").enabled


def test_a_bad_file_is_refused_with_each_cell_named(db, files):
    path = files.write("bad.xlsx")
    where = files.edit(path, "材料", "HN-SCJG-003", "formats", "pdf,exe")
    result = run("import", path, "--publish", "46")
    assert result.exit_code == 1
    assert "nothing was written" in result.output and f"{where}: 格式只能是" in result.output
    assert files.counts(db)["Item"] == 0


def test_unknown_file_kinds_are_refused(db, tmp_path):
    (tmp_path / "catalogue.csv").write_text("code\n", "utf-8")
    for args in (("export", tmp_path / "out.csv"), ("import", tmp_path / "catalogue.csv")):
        result = run(*args)
        assert result.exit_code != 0 and ".xlsx" in result.output
