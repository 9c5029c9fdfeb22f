"""Search by Chinese words, full pinyin and initials, with highlights; the index follows the catalogue."""
from approval_fixtures import publish
from catalogue_fixtures import content

from tongban.platform.portal.search import SearchIndex, highlight

NAMES = ["个体工商户设立登记", "企业设立登记（多证合一）", "结婚登记", "最低生活保障审批", "食品经营许可"]


def search(query):
    index = SearchIndex(NAMES)
    return [(NAMES[h.position], "".join(f"[{t}]" if m else t for t, m in
                                         highlight(NAMES[h.position], index.spans(h, query))))
            for h in index.search(query)]


def test_initials_of_words_find_an_item_gsdj_finds_gongshang_dengji():
    assert search("gsdj") == [("个体工商户设立登记", "个体[工商]户设立[登记]")]
    assert search("GTGSH") == [("个体工商户设立登记", "[个体工商户]设立登记")]
    assert search("jhdj")[0] == ("结婚登记", "[结婚登记]")


def test_full_pinyin_and_mixed_forms():
    assert search("jiehun") == [("结婚登记", "[结婚]登记")]
    assert search("gongshangdj") == [("个体工商户设立登记", "个体[工商]户设立[登记]")]
    assert search("shipinjy")[0][0] == "食品经营许可"


def test_chinese_words_in_any_order_and_substrings_rank_first():
    results = search("设立 登记")
    assert [name for name, _ in results] == ["企业设立登记（多证合一）", "个体工商户设立登记"]
    assert results[0][1] == "企业[设立登记]（多证合一）"
    assert [n for n, _ in search("登记")][:1] == ["结婚登记"]  # the shortest name with it first
    assert search("不存在的事项") == [] and search("   ") == []


def test_a_compound_word_finds_names_that_have_its_parts_apart():
    """工商登记 (the search box's own example) finds 个体工商户设立登记, whose name has 工商 and 登记 apart."""
    assert search("工商登记") == [("个体工商户设立登记", "个体[工商]户设立[登记]")]
    assert [n for n, _ in search("个体户")] == ["个体工商户设立登记"]
    assert search("婚姻登记") == []  # every word still has to be there: 婚姻 is not


def test_the_portal_search_page_highlights_and_follows_publishing(web, db, published):
    page = web.get("/search", params={"q": "gsdj"})
    assert page.status_code == 200 and "“gsdj”共找到 1 项" in page.text
    assert "个体<mark>工商</mark>户设立<mark>登记</mark>" in page.text
    publish(db, "GS2", content("GS2", "工商登记信息查询"))
    again = web.get("/search", params={"q": "gsdj"})
    assert "共找到 2 项" in again.text and "<mark>工商登记</mark>信息查询" in again.text


def test_search_escapes_the_query(web, published):
    page = web.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
