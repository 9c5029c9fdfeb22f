"""GraphQL API: the sharing center (e-licenses, base data)."""
