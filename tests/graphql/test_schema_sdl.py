"""The committed SDL (graphql/schema.graphql) is the schema: a change must be exported on purpose, and the
failure lists what would break for clients."""
from tongban.graphql.export import changes, committed_sdl, current_sdl, main


def test_the_committed_sdl_matches_the_schema():
    old, new = committed_sdl(), current_sdl()
    assert old is not None, "graphql/schema.graphql is missing: run python -m tongban.graphql.export"
    if old != new:
        breaking, dangerous = changes(old, new)
        raise AssertionError("graphql/schema.graphql is out of date — run `python -m tongban.graphql.export`.\n"
                             "Breaking changes:\n  " + "\n  ".join(breaking or ["(none)"]) +
                             "\nDangerous changes:\n  " + "\n  ".join(dangerous or ["(none)"]))
    assert main(["--check"]) == 0


def test_breaking_changes_are_named():
    old = "type Query { items(first: Int): [String!]! tenant: String }"
    new = "type Query { items(first: Int!): [String!]! }"
    breaking, _ = changes(old, new)
    assert any("tenant" in line and "FIELD_REMOVED" in line for line in breaking)
    assert any("first" in line for line in breaking)
