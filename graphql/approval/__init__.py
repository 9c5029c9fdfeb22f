"""GraphQL API: approval."""
