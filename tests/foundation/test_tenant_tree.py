from collections import Counter

import pytest
from sqlalchemy import func, select

from tongban.tenants import tree
from tongban.tenants.divisions import DivisionListInvalid, slug_for
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

SYSTEM = TenantContext.system("test")


def test_hainan_is_seeded_with_every_level(db):
    with db.unit_of_work(SYSTEM) as s:
        levels = Counter(s.scalars(select(Tenant.level)))
    assert levels == {"province": 1, "city_county": 19, "district": 11, "township": 243}


def test_subtree_of_haikou_is_its_districts_and_townships_only(db):
    with db.unit_of_work(SYSTEM) as s:
        haikou = tree.get(s, "4601")
        below = tree.subtree(s, haikou.path)
    codes = {t.code for t in below}
    assert {"4601", "460105", "460105100", "460106"} <= codes
    assert "4602" not in codes and "460200" not in codes
    assert all(t.path.startswith("/46/4601/") for t in below)
    assert [t.code for t in below][0] == "4601"


def test_ancestors_of_changliu_run_from_the_province_down(db):
    with db.unit_of_work(SYSTEM) as s:
        changliu = tree.get(s, "460105100")
        names = [t.name for t in tree.ancestors(s, changliu)]
    assert changliu.name == "长流镇"
    assert names == ["海南省", "海口市", "秀英区"]


def test_importing_another_province_adds_its_tree(db):
    text = "code,name,level,parent_code\n44,广东省,province,\n4401,广州市,city_county,44\n440103,荔湾区,district,4401\n"
    with db.unit_of_work(SYSTEM) as s:
        result = tree.import_divisions(s, text)
    with db.unit_of_work(SYSTEM) as s:
        liwan = tree.get(s, "440103")
        again = tree.import_divisions(s, text)
    assert result.created == 3
    assert liwan.path == "/44/4401/440103/"
    assert again.created == 0 and again.unchanged == 3


def test_a_bad_row_names_its_line_and_nothing_is_imported(db):
    text = ("code,name,level,parent_code\n44,广东省,province,\n4401,广州市,city_county,44\n"
            "44x1,坏代码,city_county,44\n440199,无上级区,district,4499\n")
    with db.unit_of_work(SYSTEM) as s:
        before = s.scalar(select(func.count()).select_from(Tenant))
    with pytest.raises(DivisionListInvalid) as raised:
        with db.unit_of_work(SYSTEM) as s:
            tree.import_divisions(s, text)
    lines = {(p.line, p.column) for p in raised.value.problems}
    assert lines == {(4, "code"), (5, "parent_code")}
    assert "第 4 行" in str(raised.value) and "line 4" in str(raised.value)
    with db.unit_of_work(SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(Tenant)) == before
        assert s.get(Tenant, "44") is None


def test_a_row_that_contradicts_an_existing_tenant_is_refused(db):
    with pytest.raises(DivisionListInvalid) as raised:
        with db.unit_of_work(SYSTEM) as s:
            tree.import_divisions(s, "code,name,level,parent_code\n4601,海口县,city_county,46\n")
    assert raised.value.problems[0].line == 2
    with db.unit_of_work(SYSTEM) as s:
        assert tree.get(s, "4601").name == "海口市"


def test_a_child_cannot_sit_above_its_parent_level():
    from tongban.tenants.divisions import parse_divisions

    with pytest.raises(DivisionListInvalid) as raised:
        parse_divisions("code,name,level,parent_code\n44,广东省,province,\n4401,广州市,township,44\n440103,荔湾区,district,4401\n")
    assert [(p.line, p.column) for p in raised.value.problems] == [(4, "level")]


def test_slugs_are_pinyin_without_the_administrative_suffix(db):
    assert slug_for("海口市") == "haikou"
    assert slug_for("长流镇") == "changliu"
    with db.unit_of_work(SYSTEM) as s:
        slugs = list(s.scalars(select(Tenant.slug)))
        assert s.get(Tenant, "4602").slug == "sanya"
    assert len(slugs) == len(set(slugs))
