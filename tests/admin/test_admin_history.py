"""An item's history from the audit log, with the differences of each change; the tenants' local
decisions when asked for (an audited subtree read)."""
from admin_support import CHANGLIU, author, context_of, post_form
from sqlalchemy import select

from tongban.configurator.publishing import local
from tongban.tenants.access import SubtreeAccess
from tongban.tenants.isolation import TenantContext

URL = "/admin/items/T-0001/history"


def test_the_history_lists_each_change_with_its_differences(province, db):
    author(db)
    page = province.get("/admin/items/T-0001/elements").text
    post_form(province, "/admin/items/T-0001/elements", page, {"name": "个体工商户设立登记（修订）"})
    history = province.get(URL).text
    for words in ("创建事项", "编辑草稿", "发布", "陈省管"):
        assert words in history, words
    assert "<code>elements.name</code>" in history
    assert '<td class="del">个体工商户设立登记</td><td class="add">个体工商户设立登记（修订）</td>' in history
    assert history.index("个体工商户设立登记（修订）") < history.index("创建事项")  # newest first
    assert '<span class="add">' in history  # long values (the flow) get a line diff


def test_local_decisions_of_the_tenants_below_on_request(province, db):
    author(db)
    with db.unit_of_work(context_of(db, CHANGLIU)) as s:
        local.set_overrides(s, CHANGLIU, "T-0001", {"location": "长流镇便民服务中心"}, actor="长流镇管理员")
        local.set_enabled(s, CHANGLIU, ["T-0001"], False, actor="长流镇管理员")
    assert "长流镇管理员" not in province.get(URL).text
    below = province.get(f"{URL}?scope=subtree").text
    assert "本地设置" in below and "长流镇便民服务中心" in below and "停用" in below and "长流镇管理员" in below
    with db.unit_of_work(TenantContext.system("test")) as s:
        reasons = [a.reason for a in s.scalars(select(SubtreeAccess))]
    assert reasons == ["事项历史"]
