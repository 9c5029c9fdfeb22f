"""The item list: search by name or code, filters, paging, no leak across tenants, a constant number of
statements per page, and bulk enable/disable in the request's tenant."""
import re

from admin_support import CHANGLIU, HAIKOU, SANYA, author, csrf_of, effective, sign_in
from sqlalchemy import event


def _codes(text: str) -> list[str]:
    return re.findall(r'name="items" value="([^"]+)"', text)


def _several(db):
    author(db, "A-0001", "个体工商户设立登记")
    author(db, "A-0002", "食品经营许可", department="市场监督管理局", audience=["enterprise"])
    author(db, "A-0003", "最低生活保障审批", kind="administrative_payment", department="民政局",
           case_type="report_up")
    author(db, "A-0004", "建设工程规划许可", department="自然资源和规划局", publish_to=None)


def test_search_by_name_or_code_and_every_filter(province, db):
    _several(db)
    assert _codes(province.get("/admin/items").text) == ["A-0001", "A-0002", "A-0003", "A-0004"]
    assert _codes(province.get("/admin/items?q=食品").text) == ["A-0002"]
    assert _codes(province.get("/admin/items?q=A-0003").text) == ["A-0003"]
    assert _codes(province.get("/admin/items?kind=administrative_payment").text) == ["A-0003"]
    assert _codes(province.get("/admin/items?department=民政局").text) == ["A-0003"]
    assert _codes(province.get("/admin/items?audience=enterprise").text) == ["A-0002"]
    assert _codes(province.get("/admin/items?case_type=report_up").text) == ["A-0003"]
    assert _codes(province.get("/admin/items?state=unpublished").text) == ["A-0004"]
    assert _codes(province.get("/admin/items?state=published").text) == ["A-0001", "A-0002", "A-0003"]
    page = province.get("/admin/items?department=民政局&q=保障")
    assert "共 1 个事项" in page.text and '<option value="民政局" selected' in page.text
    assert "没有符合条件的事项" in province.get("/admin/items?q=不存在").text


def test_the_state_column_says_draft_published_or_not(province, db):
    _several(db)
    text = province.get("/admin/items").text
    assert "已发布第 1 版" in text and "未发布（草稿第 1 版）" in text
    assert text.count('<span class="yes">') == 3  # the unpublished item is not served here


def test_paging_keeps_the_filters(province, db):
    for n in range(1, 24):
        author(db, f"P-{n:04d}", f"批量事项 {n}", publish_to=None)
    first = province.get("/admin/items?q=批量")
    assert "共 23 个事项，第 1/2 页" in first.text and len(_codes(first.text)) == 20
    assert 'href="/admin/items?q=%E6%89%B9%E9%87%8F&amp;page=2"' in first.text
    second = province.get("/admin/items?q=批量&page=2")
    assert _codes(second.text) == ["P-0021", "P-0022", "P-0023"]
    assert _codes(province.get("/admin/items?q=批量&page=99").text) == ["P-0021", "P-0022", "P-0023"]


def test_a_list_page_costs_the_same_statements_for_few_or_many_items(province, db):
    author(db, "C-0001", "一个事项")

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert province.get("/admin/items").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements()
    for n in range(2, 16):
        author(db, f"C-{n:04d}", f"事项 {n}")
    assert statements() == few


def test_a_townships_list_shows_the_provinces_items_but_never_another_citys(browser, identity, clock, db):
    from admin_support import make_staff

    author(db, "A-0001", "全省事项")
    author(db, "S-0001", "三亚本地事项", owner=SANYA, publish_to=SANYA)
    make_staff(identity, "changliu.admin", "林长流", tenant=CHANGLIU, role="tenant_admin", granter="province.admin")
    page = sign_in(browser, "changliu.admin", clock=clock, prefix="/t/460105100", secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert _codes(page.text) == ["A-0001"] and "共 1 个事项" in page.text
    assert "三亚本地事项" not in browser.get("/t/460105100/admin/items?q=S-0001").text


def test_bulk_disable_then_follow_the_level_above(province, db):
    _several(db)
    page = province.get(f"/t/{HAIKOU}/admin/items")
    token = csrf_of(page.text)
    done = province.post(f"/t/{HAIKOU}/admin/items", data={"csrf_token": token, "items": ["A-0001", "A-0002"],
                                                          "op": "disable"})
    assert done.status_code == 200 and "2 个事项在海口市及下级已停用" in done.text
    assert not effective(db, CHANGLIU, "A-0001").enabled and not effective(db, HAIKOU, "A-0002").enabled
    assert effective(db, SANYA, "A-0001").enabled and effective(db, CHANGLIU, "A-0003").enabled
    province.post(f"/t/{HAIKOU}/admin/items", data={"csrf_token": token, "items": ["A-0001"], "op": "inherit"})
    assert effective(db, CHANGLIU, "A-0001").enabled and not effective(db, CHANGLIU, "A-0002").enabled


def test_bulk_without_a_choice_says_so_and_changes_nothing(province, db):
    _several(db)
    token = csrf_of(province.get("/admin/items").text)
    answer = province.post("/admin/items", data={"csrf_token": token, "op": "disable"})
    assert answer.status_code == 422 and "请先勾选事项" in answer.text and "Tick at least one item" in answer.text
    assert effective(db, HAIKOU, "A-0001").enabled
