"""GraphQL API: tenants."""
