"""Unified social credit codes (统一社会信用代码) for enterprises registered here (GB 32100-2015).

Layout: registration authority (9 = market regulation) + entity type (1 = enterprise) + the 6-digit
division of the registering tenant + a 9-character organisation code (8 characters and their GB 11714
check character) + python-stdnum's mod-31 check character.
"""
from __future__ import annotations

import hashlib

from stdnum.cn import uscc as stdnum_uscc

ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the USCC alphabet (no I, O, S, V, Z)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(_value(c) * w for c, w in zip(body, ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def new_uscc(division_code: str, seed: str) -> str:
    """A valid USCC for a new enterprise registered at ``division_code``; ``seed`` (e.g. the case number)
    makes it reproducible."""
    region = (division_code + "000000")[:6]
    digest = hashlib.sha256(seed.encode()).digest()
    body = "".join(ORG_ALPHABET[b % len(ORG_ALPHABET)] for b in digest[:8])
    first17 = "91" + region + body + org_check(body)
    return first17 + stdnum_uscc.calc_check_digit(first17)


def is_valid(code: str) -> bool:
    return stdnum_uscc.is_valid(code or "")
