"""The developer guide and the SDL are served next to the endpoint; the guide's worked queries run."""
import re

from graphql_support import TOWNSHIP, data_of, post


def test_the_guide_page_is_bilingual_and_its_catalogue_examples_run(api, published):
    page = api.get("/graphql/guide")
    assert page.status_code == 200 and "开放接口开发指南" in page.text and "GraphQL API developer guide" in page.text
    assert "catalog:read" in page.text and "x-ratelimit-remaining" in page.text
    examples = re.findall(r"<pre>(query Items \{.*?\n\}|query Item \{.*?\n\})</pre>", page.text, re.DOTALL)
    assert len(examples) == 2
    import html

    for example in examples:
        query = re.sub(r"#[^\n]*", "", html.unescape(example))
        assert data_of(post(api, query))
    assert data_of(post(api, html.unescape(examples[0])))["items"]["nodes"][0]["code"]
    assert TOWNSHIP in page.text


def test_the_sdl_is_served(api):
    sdl = api.get("/graphql/schema.graphql")
    assert sdl.status_code == 200 and "type Query" in sdl.text and "submitApplication" in sdl.text


def _examples(page_text: str) -> dict[str, str]:
    """Every worked operation of the guide, by its name (comments and variable samples stripped)."""
    import html

    found = {}
    for block in re.findall(r"<pre>(.*?)</pre>", page_text, re.DOTALL):
        text = html.unescape(block).split("# variables")[0]
        text = re.sub(r"#[^\n]*", "", text)
        for match in re.finditer(r"^(query|mutation) ?(\w*)", text, re.MULTILINE):
            if match.group(2):
                start = match.start()
                following = re.search(r"^(query|mutation) ", text[match.end():], re.MULTILINE)
                end = match.end() + following.start() if following else len(text)
                found[match.group(2)] = text[start:end].strip()
    return found


def test_every_worked_operation_of_the_guide_is_valid_against_the_schema(api):
    from graphql import parse, validate

    from tongban.graphql.schema import build_schema

    examples = _examples(api.get("/graphql/guide").text)
    assert {"Verify", "Wallet", "DepartmentRead", "Alerts", "AlertLog", "Supervise", "Statistics", "Rate",
            "Items", "Item", "Apply", "Mine", "Desk", "Slots", "Book", "MyAppointments", "CancelBooking",
            "RatingsToRectify", "Rectify", "MyRating", "ConfirmRectification", "RatingAppeal", "Appeals",
            "DecideRatingAppeal"} <= set(examples)
    schema = build_schema()._schema
    for name, text in examples.items():
        assert validate(schema, parse(text)) == [], (name, text)


def test_the_license_and_supervision_examples_run(api, identity, published, db, settings):
    from graphql_world import build_world

    from tongban.platform.supervision.tick import tick

    world = build_world(api, identity, db, settings)
    tick(db)
    examples = _examples(api.get("/graphql/guide").text)
    verified = data_of(post(api, examples["Verify"]))["verifyLicense"]
    assert verified["outcome"] == "VALID" and verified["holderName"] == "王*明"  # a person's name, masked in public
    wallet = data_of(post(api, examples["Wallet"], token=world.tokens["citizen"]))["myLicenses"]
    assert [x["number"] for x in wallet["licenses"]] == ["GA-4601-2026-000001"]
    assert data_of(post(api, examples["Alerts"], token=world.tokens["haikou"]))["alerts"]["totalCount"] == 0
    figures = data_of(post(api, examples["Statistics"], token=world.tokens["province"]))["statistics"]
    assert {row["name"] for row in figures["drillDown"]} >= {"海口市", "三亚市"}
