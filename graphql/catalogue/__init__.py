"""GraphQL API: catalogue."""
