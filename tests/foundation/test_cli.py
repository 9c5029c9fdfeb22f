from click.testing import CliRunner

from tongban.platform.cli import main


def test_tenants_tree_prints_the_province(db):
    result = CliRunner().invoke(main, ["tenants", "tree", "--code", "460105", "--depth", "2"])
    assert result.exit_code == 0, result.output
    assert "秀英区" in result.output and "长流镇" in result.output and "460105100" in result.output
    assert "海口市" not in result.output


def test_tenants_import_reports_the_bad_line_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "gd.csv"
    bad.write_text("code,name,level,parent_code\n44,广东省,province,\n4401,,city_county,44\n", "utf-8")
    result = CliRunner().invoke(main, ["tenants", "import", str(bad)])
    assert result.exit_code == 1
    assert "第 3 行" in result.output and "line 3" in result.output and "name" in result.output
    tree = CliRunner().invoke(main, ["tenants", "tree", "--code", "44"])
    assert tree.exit_code != 0 and "no such division" in tree.output


def test_tenants_import_then_tree(db, tmp_path):
    good = tmp_path / "gd.csv"
    good.write_text("code,name,level,parent_code\n44,广东省,province,\n4401,广州市,city_county,44\n", "utf-8")
    result = CliRunner().invoke(main, ["tenants", "import", str(good)])
    assert result.exit_code == 0 and "2 created" in result.output
    tree = CliRunner().invoke(main, ["tenants", "tree", "--code", "44"])
    assert "广州市" in tree.output


def test_seed_twice_adds_nothing_the_second_time(db):
    first = CliRunner().invoke(main, ["seed", "--demo"])
    second = CliRunner().invoke(main, ["seed", "--demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "0 created, 274 present" in second.output and "notices: 0 created" in second.output


def test_suspend_and_activate(db, client):
    assert CliRunner().invoke(main, ["tenants", "suspend", "469021"]).exit_code == 0
    assert client.get("/t/469021/").status_code == 403
    assert CliRunner().invoke(main, ["tenants", "activate", "469021"]).exit_code == 0
    assert client.get("/t/469021/").status_code == 200
    missing = CliRunner().invoke(main, ["tenants", "suspend", "469999"])
    assert missing.exit_code != 0 and "469999" in missing.output
