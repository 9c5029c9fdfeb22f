"""The public GraphQL API at /graphql (filled in by its capability)."""
routes: list = []
