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
