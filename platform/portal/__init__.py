"""The online service hall and themed tenant portals (网上办事大厅): routes in web*.py, rules beside them."""
