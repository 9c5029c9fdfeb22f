"""The public pages of a tenant's portal: home navigation, browsing, the item guide, lists, notices, language."""
import io
import zipfile

from approval_fixtures import publish
from catalogue_fixtures import content
from tests_support import tenant_context

from tongban.platform.content.notices import publish_notice


def test_home_navigates_by_audience_theme_life_event_department_and_kind(web, published):
    page = web.get("/")
    assert page.status_code == 200 and "<h1>海口市</h1>" in page.text
    assert "本级可办事项 4 项" in page.text
    assert 'href="/items?audience=individual"' in page.text and 'href="/items?audience=enterprise"' in page.text
    assert "法人注销" in page.text  # national theme 165 of the test items, named from theme_categories.csv
    assert 'href="/items?event=%E5%BC%80%E5%8A%9E%E4%BC%81%E4%B8%9A"' in page.text  # 开办企业
    assert "市场监督管理局" in page.text and "行政许可" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "script-src 'none'" in page.headers["content-security-policy"]


def test_browsing_by_facet_lists_only_matching_items(web, published):
    enterprise = web.get("/items", params={"audience": "enterprise"})
    assert "企业设立登记（多证合一）" in enterprise.text and "结婚登记" not in enterprise.text
    assert "共 1 项" in enterprise.text
    by_event = web.get("/items", params={"event": "开办企业"})
    assert "共 4 项" in by_event.text


def test_the_guide_shows_conditions_materials_flow_fees_limits_place_and_faq(web, published):
    page = web.get("/items/PROMISED")
    text = page.text
    assert page.status_code == 200 and "<h1>个体工商户设立登记</h1>" in text
    for expected in ("申请人具有完全民事行为能力", "申请书", "营业执照", "电子证照免交", "容缺受理：5 个工作日内补交",
                     "<svg", "办理流程图", "工本费", "¥10.00", "琼价费〔2020〕1号",
                     "20 个工作日", "10 个工作日", "海南省政务服务中心", "工作日 9:00-17:00", "0898-12345",
                     "如何查询办理进度？", "哪些材料可以免交？", "在线申请"):
        assert expected in text, expected
    assert 'href="/items/PROMISED/apply"' in text


def test_material_templates_download_as_word_documents(web, published):
    reply = web.get("/items/PROMISED/materials/m1/sample")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/vnd.openxml")
    assert "filename*=UTF-8''" in reply.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(reply.content)) as archive:
        document = archive.read("word/document.xml").decode()
    assert "申请书（示例样表）" in document and "申请人姓名" in document and "个体工商户设立登记" in document
    assert web.get("/items/PROMISED/materials/nope/template").status_code == 404


def test_an_item_not_served_at_this_level_or_unknown_is_not_found(web, db, published):
    publish(db, "CITY", content("CITY", "市级专属事项", levels=["province", "city_county"]))
    assert web.get("/items/CITY").status_code == 200
    township = web.get("/t/460105100/items/CITY")
    assert township.status_code == 404 and "页面不存在" in township.text
    assert web.get("/items/NO-SUCH").status_code == 404


def test_power_and_responsibility_lists_with_the_flow_diagram(web, published):
    powers = web.get("/powers")
    assert "个体工商户设立登记" in powers.text and "行政许可" in powers.text
    detail = web.get("/powers/PROMISED")
    assert "受理责任" in detail.text and "不予受理不说明理由" in detail.text and "<svg" in detail.text
    duties = web.get("/responsibilities")
    assert "追责情形" in duties.text and "不予受理不说明理由" in duties.text


def test_notices_list_and_detail_stay_in_their_tenant(web, db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        notice = publish_notice(s, title="海口市政务服务中心春节安排", body="2月10日至17日休息")
        notice_id = notice.id
    assert "海口市政务服务中心春节安排" in web.get("/").text
    assert "2月10日至17日休息" in web.get(f"/notices/{notice_id}").text
    assert web.get(f"/t/4602/notices/{notice_id}").status_code == 404  # 三亚 cannot read 海口's notice


def test_english_on_request_kept_in_a_cookie_and_chinese_by_default(web, published):
    assert "全部事项" in web.get("/").text
    english = web.get("/", params={"lang": "en"})
    assert 'lang="en"' in english.text and "All items" in english.text and "Track a case" in english.text
    assert web.cookies.get("tb_lang") == "en"
    assert "Legal time limit" in web.get("/items/PROMISED").text and "20 working days" in web.get("/items/PROMISED").text
    back = web.get("/", params={"lang": "zh"})
    assert "全部事项" in back.text and 'lang="zh-CN"' in back.text


def test_the_elder_friendly_mode_is_a_switch(web):
    assert 'class="elder"' in web.get("/", params={"mode": "elder"}).text
    assert 'class="elder"' in web.get("/").text  # remembered
    assert 'class=""' in web.get("/", params={"mode": "standard"}).text


def test_the_province_page_keeps_the_tenant_list(web):
    page = web.get("http://localhost/")
    assert page.text.count('class="tenant"') == 19 and "全省 274 个政务服务门户" in page.text
