"""The flow editor: nodes and edges as rows, a parallel flow built from nothing, check_flow faults at
their paths with nothing saved, templates, and the diagram from render_svg after saving."""
from admin_support import PROVINCE, author, context_of, draft_content, post_form

from tongban.configurator.publishing import catalogue

URL = "/admin/items/T-0001/flow"


def _without_flow(db):
    body = author(db, publish_to=None, parallel=True)
    with db.unit_of_work(context_of(db, PROVINCE)) as s:
        catalogue.edit_draft(s, "T-0001", "flow", None, actor="test")
    return body


def _add(province, page: str, kind: str) -> str:
    return post_form(province, URL, page, {"nodes.new_kind": kind}, op="add:nodes").text


def test_a_parallel_flow_is_built_row_by_row_and_drawn_once_saved(province, db):
    _without_flow(db)
    page = province.get(URL).text
    assert "尚未保存有效的流程" in page and "从模板开始" in page
    for kind in ("start", "parallel_split", "dept_task", "dept_task", "join", "conclude"):
        page = _add(province, page, kind)
    assert 'name="nodes[5].id" value="conclude_6"' in page
    rows = {"nodes[0].id": "accept", "nodes[1].id": "split", "nodes[2].id": "market",
            "nodes[2].label.zh": "市场监管审查", "nodes[2].assignment.department": "市场监督管理局",
            "nodes[2].time_limit_days": "3", "nodes[3].id": "fire", "nodes[3].label.zh": "消防审查",
            "nodes[3].assignment.department": "消防救援支队", "nodes[3].time_limit_days": "4",
            "nodes[4].id": "join", "nodes[5].id": "done"}
    page = post_form(province, URL, page, rows, op="refresh").text
    for source, target in (("accept", "split"), ("split", "market"), ("split", "fire"), ("market", "join"),
                           ("fire", "join"), ("join", "done")):
        page = post_form(province, URL, page, op="add:edges").text
        index = page.count('class="row edge-row') - 1
        page = post_form(province, URL, page, {f"edges[{index}].from": source, f"edges[{index}].to": target},
                         op="refresh").text
    saved = post_form(province, URL, page)
    assert saved.status_code == 200 and "已保存" in saved.text, saved.text[-3000:]
    flow = draft_content(db, "T-0001")["flow"]
    assert [n["kind"] for n in flow["nodes"]] == ["start", "parallel_split", "dept_task", "dept_task", "join", "conclude"]
    assert flow["nodes"][2]["assignment"] == {"department": "市场监督管理局"} and flow["nodes"][4]["join_mode"] == "all"
    assert {(e["from"], e["to"]) for e in flow["edges"]} == {("accept", "split"), ("split", "market"),
                                                             ("split", "fire"), ("market", "join"),
                                                             ("fire", "join"), ("join", "done")}
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in saved.text
    assert 'data-node-id="market"' in saved.text and "消防审查" in saved.text


def test_check_flow_faults_are_shown_at_their_paths_and_nothing_is_saved(province, db):
    body = author(db, publish_to=None, parallel=True)
    page = province.get(URL).text
    assert 'data-node-id="market"' in page  # the saved flow is drawn
    answer = post_form(province, URL, page, {"nodes[2].assignment.department": "", "nodes[3].time_limit_days": "x",
                                             "edges[0].condition": "form.amount >"})
    assert answer.status_code == 422
    for anchor in ("p-nodes-2-assignment-department", "p-nodes-3-time_limit_days", "p-edges-0-condition"):
        assert f'href="#{anchor}"' in answer.text and f'id="{anchor}"' in answer.text, anchor
    assert "部门任务节点必须指定承办部门" in answer.text and "条件表达式无法编译" in answer.text
    assert draft_content(db, "T-0001")["flow"] == body["flow"]


def test_a_cycle_and_a_flow_over_the_promised_limit_are_refused(province, db):
    author(db, publish_to=None)
    page = province.get(URL).text
    page = post_form(province, URL, page, op="add:edges").text
    index = page.count('class="row edge-row') - 1
    cycle = post_form(province, URL, page, {f"edges[{index}].from": "decide", f"edges[{index}].to": "review"})
    assert cycle.status_code == 422 and "连线构成回路" in cycle.text
    slow = post_form(province, URL, province.get(URL).text, {"nodes[1].time_limit_days": "30"})
    assert slow.status_code == 422 and "超过承诺时限 10 个工作日" in slow.text


def test_removing_a_node_takes_its_edges_and_a_template_replaces_the_rows(province, db):
    author(db, publish_to=None)
    page = province.get(URL).text
    removed = post_form(province, URL, page, op="remove:nodes[1]").text
    assert '.id" value="review"' not in removed and removed.count('class="row edge-row') == 2
    templated = post_form(province, URL, removed, op="template:business_registration").text
    assert 'name="nodes[1].kind"' in templated and 'value="parallel_split" selected' in templated
    assert templated.count('class="row edge-row') == 11


def test_actions_can_be_chosen_per_node(province, db):
    author(db, publish_to=None)
    page = province.get(URL).text
    saved = post_form(province, URL, page, {"nodes[1].actions_custom": "1", "nodes[1].actions": ["approve", "reject"]})
    assert saved.status_code == 200
    assert draft_content(db, "T-0001")["flow"]["nodes"][1]["actions"] == ["approve", "reject"]
    refused = post_form(province, URL, saved.text, {"nodes[1].actions": ["approve", "accept"]})
    assert refused.status_code == 422 and "href=\"#p-nodes-1-actions-1\"" in refused.text
