"""Web routes of the sharing center: public license verification, the holder's wallet (filled in by its capability)."""
routes: list = []
