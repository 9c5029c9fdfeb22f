"""The supervisors' console (/supervision) and the department's tab (/workbench/supervision), through the HTTP
client as staff use them: sign-in, the subtree wall, a red card confirmed, 督办, rectification with an attachment,
acceptance; complaints with their deadline; the dashboard, its Excel export and the evaluation report."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient
from supervision_console_support import MARKET, TOWNSHIP, complaint, red_carded_township_case
from workbench_support import FakeClock, csrf_in, identity_service, new_staff, set_department, sign_in

SITE = "http://localhost"
PDF = b"%PDF-1.4\n% rectification\n%%EOF\n"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def identity(app, settings, clock):
    return identity_service(app, settings, clock)


@pytest.fixture
def web(app, identity):
    with TestClient(app, base_url=SITE) as client:
        yield client


@pytest.fixture
def carded(db, settings, identity):
    return red_carded_township_case(db, settings)


def form_action(page: str, suffix: str) -> str:
    match = re.search(r'action="([^"]*' + re.escape(suffix) + ')"', page)
    assert match, page[:2000]
    return match.group(1)


def test_signing_in_leads_back_to_the_console_and_the_red_card_is_listed(web, clock, carded):
    page = sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/?severity=red")
    assert page.status_code == 200 and "/supervision/" in str(page.url)
    assert "实时监察" in page.text and carded["number"] in page.text and "红牌" in page.text
    township = web.get(f"{SITE}/supervision/?tenant={TOWNSHIP}&level=township&severity=red")
    assert carded["number"] in township.text and "长流镇" in township.text
    sanya = web.get(f"{SITE}/supervision/?tenant=4602&severity=red")
    assert carded["number"] not in sanya.text


def test_a_staff_member_without_supervision_is_refused(web, clock, carded):
    page = sign_in(web, "haikou.clerk", clock, site=SITE, path="/supervision/")
    assert page.status_code == 403 and "没有电子监察权限" in page.text


def test_the_case_file_speaks_in_words_not_codes(web, clock, carded):
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    page = web.get(f"{SITE}/supervision/alerts/{carded['red']}").text
    case_part = page.split("办件时钟")[1]
    steps = case_part.split("<h3>环节")[1].split("</table>")[0]
    timeline = case_part.split("全过程记录")[1].split("</ol>")[0]
    assert "in_progress" not in case_part and ">submit<" not in timeline and "→ submitted" not in timeline
    assert "提交申请" in timeline and "受理" in timeline and "→ 待受理" in timeline
    assert "<td>accept</td>" not in steps and "<td>acceptance</td>" not in steps


def test_a_decision_from_a_stale_tab_is_refused_and_changes_nothing(web, clock, carded):
    """Two tabs on one pending card: tab A confirms it; tab B, still showing 待确认, then withdraws — refused as a
    conflict (the page it acted on is out of date), and the card stays confirmed."""
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    alert_url = f"{SITE}/supervision/alerts/{carded['red']}"
    tab_a, tab_b = web.get(alert_url).text, web.get(alert_url).text
    shown = re.search(r'name="revision" value="(\d+)"', tab_b).group(1)
    confirmed = web.post(f"{alert_url}/confirm", data={"csrf_token": csrf_in(tab_a), "reason": "", "revision": shown})
    assert "已确认并发出" in confirmed.text
    late = web.post(f"{alert_url}/withdraw", data={"csrf_token": csrf_in(tab_b), "reason": "误报", "revision": shown})
    assert late.status_code == 409 and "该事项已被他人处理，请刷新" in late.text
    after = web.get(alert_url).text
    assert "→ 已发出" in after and "→ 已撤回" not in after  # the timeline: confirmed, never withdrawn


def test_red_card_confirmed_supervised_rectified_and_closed(web, db, identity, clock, carded):
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    alert_url = f"{SITE}/supervision/alerts/{carded['red']}"
    page = web.get(alert_url)
    assert "待确认" in page.text and "办件时钟" in page.text and "全过程记录" in page.text
    csrf = csrf_in(page.text)
    confirmed = web.post(f"{alert_url}/confirm", data={"csrf_token": csrf, "reason": ""})
    assert confirmed.status_code == 200 and "已确认并发出" in confirmed.text
    refused = web.post(f"{alert_url}/order_correction", data={"csrf_token": csrf, "reason": " ", "days": "3"})
    assert refused.status_code == 400 and "请写明督办要求" in refused.text
    ordered = web.post(f"{alert_url}/order_correction", data={"csrf_token": csrf, "reason": "限期办结并说明原因", "days": "3"})
    assert "已下达督办" in ordered.text and "督办期限" in ordered.text

    new_staff(db, identity, "town.approver", "approver", TOWNSHIP)
    set_department(db, "town.approver", carded["department"] or MARKET)
    with TestClient(web.app, base_url=SITE) as department:
        tab = sign_in(department, "town.approver", clock, site=SITE, path=f"/t/{TOWNSHIP}/workbench/supervision")
        assert "督办中" in tab.text and "提交整改报告" in tab.text
        action = form_action(tab.text, f"/supervision/{carded['red']}/rectify")
        bad = department.post(SITE + action, data={"csrf_token": csrf_in(tab.text), "text": "已整改"},
                              files=[("attachments", ("report.pdf", b"not a pdf", "application/pdf"))])
        assert bad.status_code == 400 and "格式或大小不符" in bad.text
        sent = department.post(SITE + action, data={"csrf_token": csrf_in(tab.text), "text": "已办结，约谈经办人"},
                               files=[("attachments", ("整改报告.pdf", PDF, "application/pdf"))])
        assert "整改报告已提交" in sent.text

    page = web.get(alert_url)
    assert "整改待审核" in page.text and "整改报告.pdf" in page.text
    file_url = re.search(r'href="(/supervision/alerts/\d+/files/[0-9a-f]+)"', page.text).group(1)
    assert web.get(SITE + file_url).content == PDF
    closed = web.post(f"{alert_url}/accept_rectification", data={"csrf_token": csrf_in(page.text), "reason": "通过"})
    assert "整改通过，已办结" in closed.text and "已办结" in closed.text
    again = web.post(f"{alert_url}/accept_rectification", data={"csrf_token": csrf_in(page.text), "reason": ""})
    assert again.status_code == 409 and "不能通过整改" in again.text


def test_a_forged_form_changes_nothing(web, clock, carded):
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    answer = web.post(f"{SITE}/supervision/alerts/{carded['red']}/confirm", data={"csrf_token": "forged"})
    assert answer.status_code == 400
    assert "待确认" in web.get(f"{SITE}/supervision/alerts/{carded['red']}").text


def test_complaints_from_the_portal_with_their_deadlines(web, db, clock, carded):
    complaint(db)
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/complaints")
    page = web.get(f"{SITE}/supervision/complaints")
    assert "材料被要求重复提交" in page.text and "已超期" in page.text and "1 件已超过答复期限" in page.text


def test_dashboard_drills_down_and_exports(web, clock, carded):
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/dashboard")
    page = web.get(f"{SITE}/supervision/dashboard")
    assert page.status_code == 200 and "海口市" in page.text and "三亚市" in page.text
    assert page.text.count("<svg") >= 6 and "按时办结率" in page.text
    city = web.get(f"{SITE}/supervision/dashboard?tenant=4601")
    assert "秀英区" in city.text
    district = web.get(f"{SITE}/supervision/dashboard?tenant=460105")
    assert "长流镇" in district.text
    sheet = load_workbook(BytesIO(web.get(f"{SITE}/supervision/dashboard.xlsx?tenant=4601&by=tenant").content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert (rows["秀英区"][2], rows["秀英区"][10], rows["秀英区"][11]) == (1, 1, 0)  # received, yellow, red (pending)


def test_evaluation_ranking_pdf_and_excel(web, clock, carded):
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/evaluation")
    page = web.get(f"{SITE}/supervision/evaluation?period=2026-03&level=township")
    assert "长流镇" in page.text and "绩效考核" in page.text
    pdf = web.get(f"{SITE}/supervision/evaluation.pdf?period=2026-03&level=township")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(BytesIO(web.get(f"{SITE}/supervision/evaluation.xlsx?period=2026-03").content)).active
    assert sheet["A1"].value == "排名" and sheet["C1"].value == "得分"


def test_a_city_supervisor_sees_nothing_of_another_city(web, db, clock, carded):
    from workbench_support import grant

    grant(db, "sanya.clerk", "supervisor", "4602", subtree=True)
    listing = sign_in(web, "sanya.clerk", clock, site=SITE, path="/t/4602/supervision/")
    assert listing.status_code == 200 and "三亚市" in listing.text and carded["number"] not in listing.text
    alert = web.get(f"{SITE}/t/4602/supervision/alerts/{carded['red']}")
    assert alert.status_code == 404 and carded["number"] not in alert.text
    file = web.get(f"{SITE}/t/4602/supervision/alerts/{carded['red']}/files/{'0' * 32}")
    assert file.status_code == 404
    posted = web.post(f"{SITE}/t/4602/supervision/alerts/{carded['red']}/confirm",
                      data={"csrf_token": valid_csrf(web)})
    assert posted.status_code == 404
    dashboard = web.get(f"{SITE}/t/4602/supervision/dashboard?tenant=4601")  # not below Sanya: Sanya's own figures
    assert dashboard.status_code == 200 and "秀英区" not in dashboard.text and "天涯区" in dashboard.text
    assert web.get(f"{SITE}/supervision/").status_code == 403


def valid_csrf(client) -> str:
    """The token a console form carries for this session (the workbench's, as the console signs in through it)."""
    import hashlib
    import hmac

    session = client.cookies.get("tb_rp_workbench", "")
    key = client.app.state.settings.secret_key.encode()
    return hmac.new(key, f"workbench-csrf:{session}".encode(), hashlib.sha256).hexdigest()


def test_the_disposition_log_names_the_supervisor_and_department(web, db, clock, carded):
    from tongban.platform.identity.accounts import by_username
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.none()) as session:
        subject = by_username(session, "province.supervisor").subject
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    alert_url = f"{SITE}/supervision/alerts/{carded['red']}"
    csrf = csrf_in(web.get(alert_url).text)
    web.post(f"{alert_url}/confirm", data={"csrf_token": csrf, "reason": "情况属实"})
    log = web.get(alert_url).text.split("处置记录", 1)[1].split("</ol>", 1)[0]
    assert "林监察（省政务服务中心监察处）" in log and "情况属实" in log
    assert subject not in log


def nav_links(page: str) -> set[str]:
    nav = page.split('class="wb-nav"', 1)[1].split("</ul>", 1)[0]
    return set(re.findall(r'href="[^"]*/supervision(/[a-z]*)"', nav))


def test_a_statistician_sees_only_the_links_their_grants_open(web, db, identity, clock, carded):
    from sqlalchemy import update

    from tongban.platform.identity.accounts import by_username
    from tongban.platform.identity.models import RoleGrant
    from tongban.tenants.isolation import TenantContext

    new_staff(db, identity, "province.statistician", "statistician", "46")
    with db.unit_of_work(TenantContext.none()) as session:
        account = by_username(session, "province.statistician")
        session.execute(update(RoleGrant).where(RoleGrant.account_id == account.id).values(extends_to_subtree=True))
    dashboard = sign_in(web, "province.statistician", clock, site=SITE, path="/supervision/dashboard")
    assert dashboard.status_code == 200 and nav_links(dashboard.text) == {"/dashboard", "/evaluation"}
    for path in nav_links(dashboard.text):
        assert web.get(f"{SITE}/supervision{path}").status_code == 200
    assert web.get(f"{SITE}/supervision/").status_code == 403
    with TestClient(web.app, base_url=SITE) as supervisor:
        page = sign_in(supervisor, "province.supervisor", clock, site=SITE, path="/supervision/dashboard")
        assert nav_links(page.text) == {"/", "/complaints", "/ratings", "/dashboard", "/evaluation"}


def test_a_window_clerk_answers_the_complaints_of_the_window_on_the_department_tab(web, db, identity, clock, carded):
    """Clerks may answer petitions (the rule in petitions.answer): the tab opens for them with the complaints addressed
    to a department and to none (a department's own staff see theirs and the unaddressed ones: test_petitions), each
    with its department, when it was asked and whether it is overdue; a too-long answer is
    refused at that complaint and changes nothing."""
    from tongban.platform.supervision import petitions

    asked = petitions.ask(db, TOWNSHIP, kind="complaint", asker_subject="person:1", question="窗口几点下班没有公示",
                          now=clock() - timedelta(days=40))
    petitions.ask(db, TOWNSHIP, kind="complaint", asker_subject="person:1", question="市场监管窗口让我跑了三次",
                  department=MARKET)
    new_staff(db, identity, "town.clerk", "window_clerk", TOWNSHIP)
    with TestClient(web.app, base_url=SITE) as clerk:
        tab = sign_in(clerk, "town.clerk", clock, site=SITE, path=f"/t/{TOWNSHIP}/workbench/supervision")
        assert tab.status_code == 200 and "窗口几点下班没有公示" in tab.text and "已超期" in tab.text
        assert "市场监管窗口让我跑了三次" in tab.text  # a clerk of no department (综合窗口) sees every one
        action = form_action(tab.text, f"/petitions/{asked['id']}/answer")
        long = clerk.post(SITE + action, data={"csrf_token": csrf_in(tab.text), "answer": "答" * 2001})
        assert long.status_code == 400 and "答复不能超过 2000 字" in long.text and f'id="p{asked["id"]}"' in long.text
        sent = clerk.post(SITE + action, data={"csrf_token": csrf_in(tab.text), "answer": "已在大厅门口公示"})
        assert "已答复" in sent.text and "窗口几点下班没有公示" not in sent.text


def test_a_bad_rating_is_rectified_called_back_and_an_appeal_decided_through_the_screens(web, db, identity, clock,
                                                                                        carded):
    """差评 to 整改, 回访 and 申诉: the department does it on its tab, the supervisor decides an appeal on the console;
    the excluded rating's rectification is void."""
    from approval_fixtures import citizen

    from tongban.platform.supervision.ratings import service as ratings

    first = ratings.rate_visit(db, citizen(), TOWNSHIP, "W-001", level=1, reason="窗口人员态度差", department=MARKET)
    second = ratings.rate_visit(db, citizen("李四", "person:9"), TOWNSHIP, "W-002", level=2, reason="乱写的",
                                department=MARKET)
    new_staff(db, identity, "town.approver", "approver", TOWNSHIP)
    set_department(db, "town.approver", MARKET)
    with TestClient(web.app, base_url=SITE) as department:
        tab = sign_in(department, "town.approver", clock, site=SITE, path=f"/t/{TOWNSHIP}/workbench/supervision")
        assert "差评整改" in tab.text and "窗口人员态度差" in tab.text and "待整改" in tab.text
        empty = department.post(SITE + form_action(tab.text, f"/ratings/{first['id']}/report"),
                                data={"csrf_token": csrf_in(tab.text), "text": " "})
        assert empty.status_code == 400 and "请填写整改情况" in empty.text and f'id="r{first["id"]}"' in empty.text
        reported = department.post(SITE + form_action(tab.text, f"/ratings/{first['id']}/report"),
                                   data={"csrf_token": csrf_in(tab.text), "text": "已约谈窗口人员"})
        assert "差评整改情况已报送" in reported.text and "已整改，待回访" in reported.text
        called = department.post(SITE + form_action(reported.text, f"/ratings/{first['id']}/callback"),
                                 data={"csrf_token": csrf_in(reported.text), "text": "评价人表示认可"})
        assert "等待评价人确认" in called.text
        appealed = department.post(SITE + form_action(called.text, f"/ratings/{second['id']}/appeal"),
                                   data={"csrf_token": csrf_in(called.text), "text": "评价人未在本窗口办事"})
        assert "差评申诉已提交" in appealed.text and "申诉中" in appealed.text

    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/ratings")
    page = web.get(f"{SITE}/supervision/ratings?tenant={TOWNSHIP}&appealed=1")
    assert "评价人未在本窗口办事" in page.text and "窗口人员态度差" not in page.text
    decided = web.post(SITE + form_action(page.text, f"/ratings/{second['id']}/decide?tenant={TOWNSHIP}"),
                       data={"csrf_token": csrf_in(page.text), "decision": "exclude", "reason": "核实无办事记录"})
    assert "该差评已剔除" in decided.text and "已撤销（申诉成立）" in decided.text
    again = web.post(SITE + form_action(page.text, f"/ratings/{second['id']}/decide?tenant={TOWNSHIP}"),
                     data={"csrf_token": csrf_in(page.text), "decision": "uphold", "reason": ""})
    assert again.status_code == 409 and "没有待处理的申诉" in again.text


def test_an_alert_about_a_complaint_shows_the_complaint(web, db, clock, carded):
    from supervision_helpers import alerts, tick

    asked = complaint(db, asked_at=clock() - timedelta(days=40), question="办事大厅空调坏了一个月")
    tick(db, clock())
    alert = next(a for a in alerts(db) if a.petition_id == asked["id"])
    sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
    page = web.get(f"{SITE}/supervision/alerts/{alert.id}")
    assert page.status_code == 200 and "办事大厅空调坏了一个月" in page.text and "未答复" in page.text
