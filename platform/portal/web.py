"""Web routes of this room (filled in by its capability)."""
routes: list = []
