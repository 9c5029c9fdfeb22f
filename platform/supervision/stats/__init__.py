"""Statistics kept as rollups (per tenant, department, item, channel, month), drill-down, export, evaluation."""
