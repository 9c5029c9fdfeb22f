"""Uploaded files: the real type sniffed from their bytes, stored under random names, recorded per tenant."""
