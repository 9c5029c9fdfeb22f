"""SVG rendering and diagram data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tongban.configurator.flows import Flow, render_svg
from tongban.configurator.flows.examples import (
    EXAMPLES,
    business_registration_flow,
    conditional_approval_flow,
    promised_flow,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def node_group(root: ET.Element, node_id: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("data-node-id") == node_id)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_svg_is_well_formed_for_every_example(name, lang):
    root = parse_svg(render_svg(Flow.parse(EXAMPLES[name]()), lang=lang))
    assert root.tag == f"{SVG}svg"


def test_svg_is_accessible():
    root = parse_svg(render_svg(Flow.parse(business_registration_flow())))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "企业设立登记（多证合一）"
    assert root.find(f"{SVG}title").text == "企业设立登记（多证合一）"
    assert "受理" in root.find(f"{SVG}desc").text


def test_svg_contains_labels_and_time_limits():
    root = parse_svg(render_svg(Flow.parse(promised_flow())))
    text = all_text(root)
    for label in ["受理", "审查", "决定", "制证发证", "办结", "3 工作日", "2 工作日"]:
        assert label in text
    assert "CJK" in root.get("font-family")


def test_svg_in_english():
    text = all_text(parse_svg(render_svg(Flow.parse(promised_flow()), lang="en")))
    assert "Review" in text and "3 working days" in text and "1 working day" in text


def test_svg_rejects_unknown_language():
    with pytest.raises(ValueError):
        render_svg(Flow.parse(promised_flow()), lang="fr")


def test_svg_draws_split_and_join_as_diamonds():
    root = parse_svg(render_svg(Flow.parse(business_registration_flow())))
    assert node_group(root, "split").find(f"{SVG}polygon") is not None
    assert node_group(root, "join").find(f"{SVG}polygon") is not None
    assert node_group(root, "tax").find(f"{SVG}rect") is not None
    assert "全部完成" in all_text(root)


def test_svg_shows_condition_labels():
    text = all_text(parse_svg(render_svg(Flow.parse(conditional_approval_flow()))))
    assert "投资额超过 5000 万元" in text
    assert "其他" in text


def test_svg_shows_raw_condition_without_label():
    data = conditional_approval_flow()
    del data["edges"][2]["label"]
    text = all_text(parse_svg(render_svg(Flow.parse(data))))
    assert "form.investment_wan_yuan > 5000" in text


def test_svg_escapes_admin_labels():
    data = promised_flow()
    data["name"] = {"zh": 'x" onload="alert(1)'}
    data["nodes"][1]["label"] = {"zh": "<script>alert('审查')</script>", "en": "a & b"}
    data["nodes"][2]["label"] = {"zh": "bad\x00control\x1bchars"}
    svg = render_svg(Flow.parse(data))
    assert "<script>" not in svg
    root = parse_svg(svg)
    assert root.find(f".//{SVG}script") is None
    assert root.get("aria-label") == 'x" onload="alert(1)'
    assert root.get("onload") is None
    assert "<script>alert('审查')</script>" in node_group(root, "review").find(f"{SVG}title").text
    assert "badcontrolchars" in all_text(root)


def test_svg_escapes_conditions():
    data = conditional_approval_flow()
    del data["edges"][2]["label"]
    data["edges"][2]["condition"] = "form.note == '<b>&'"
    root = parse_svg(render_svg(Flow.parse(data)))
    assert "form.note == '<b>&'" in all_text(root)


def test_long_labels_are_shortened_but_kept_in_the_tooltip():
    data = promised_flow()
    long_label = "海南省自由贸易港企业投资项目联合审查与综合协调办理"
    data["nodes"][1]["label"] = {"zh": long_label}
    root = parse_svg(render_svg(Flow.parse(data)))
    group = node_group(root, "review")
    shown = "".join(group.find(f"{SVG}text").itertext())
    assert shown.endswith("…") and len(shown) < len(long_label)
    assert long_label in group.find(f"{SVG}title").text


def test_svg_highlights_current_nodes():
    flow = Flow.parse(business_registration_flow())
    root = parse_svg(render_svg(flow, highlight=["tax", "seal", "missing"]))
    assert "current" in node_group(root, "tax").get("class")
    assert "current" in node_group(root, "seal").get("class")
    assert "current" not in node_group(root, "market").get("class")
    assert "公安刻章备案" in root.find(f"{SVG}desc").text


def test_svg_output_is_deterministic():
    first = render_svg(Flow.parse(business_registration_flow()), highlight={"tax", "seal"})
    second = render_svg(Flow.parse(business_registration_flow()), highlight=["seal", "tax"])
    assert first == second


def test_parallel_branches_are_side_by_side():
    data = Flow.parse(business_registration_flow()).diagram_data()
    placed = {node["id"]: node for node in data["nodes"]}
    branches = [placed[node_id] for node_id in ["market", "seal", "tax", "social"]]
    assert len({node["y"] for node in branches}) == 1
    assert [node["x"] for node in branches] == sorted(node["x"] for node in branches)
    assert placed["accept"]["y"] < placed["split"]["y"] < branches[0]["y"]
    assert branches[0]["y"] < placed["join"]["y"] < placed["license"]["y"]
    assert placed["split"]["shape"] == placed["join"]["shape"] == "diamond"


def test_diagram_data_is_json_ready_and_complete():
    flow = Flow.parse(conditional_approval_flow())
    data = json.loads(json.dumps(flow.diagram_data(), ensure_ascii=False))
    assert [node["id"] for node in data["nodes"]] == [node.id for node in flow.nodes]
    assert len(data["edges"]) == len(flow.edges)
    decide = next(node for node in data["nodes"] if node["id"] == "decide")
    assert decide["kind"] == "decide" and decide["label"] == {"zh": "决定", "en": "Decision"}
    assert {"x", "y", "width", "height", "layer", "point", "time_limit_days"} <= decide.keys()
    conditional = data["edges"][2]
    assert conditional["condition"].startswith("form.investment_wan_yuan")
    assert conditional["points"][0] == [decide["x"], decide["y"] + decide["height"] // 2]
    assert data["critical_path_days"] == 17
    assert data["width"] > 0 and data["height"] > 0


def test_layers_follow_the_longest_path():
    data = Flow.parse(conditional_approval_flow()).diagram_data()
    layer = {node["id"]: node["layer"] for node in data["nodes"]}
    assert layer["decide"] == 2 and layer["collective"] == 3 and layer["fee"] == 4


def test_svg_accepts_a_single_highlighted_id():
    flow = Flow.parse(business_registration_flow())
    assert render_svg(flow, highlight="tax") == render_svg(flow, highlight=["tax"])
