"""GraphQL API: core."""
