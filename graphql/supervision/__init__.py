"""GraphQL API: supervision (alerts, statistics, 好差评)."""
