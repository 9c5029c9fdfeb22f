"""Vertical department systems (公安、税务…) reporting their cases, and alerts pushed back to them."""
