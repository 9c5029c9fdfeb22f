"""The 18-character resident identity number (居民身份证号码, GB 11643): what a number must be to be one.

``stdnum.cn.ric`` checks the length, the check digit, the birth date and that the address code was in use
in the holder's *birth year*. That last check is wrong for real people: the code is the place of household
registration when the number was issued (from 1999 for 18-digit numbers), not at birth, so an 86-year-old
海口 resident (4601, created 1988) or anyone born before 秀英区 (460105, created 2003) fails it. Here the
address code must be one that has existed at some time, and the birth date must be a real day, not in the
future; the check digit is ``stdnum``'s.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.util import isdigits


def validate(number: str, *, today: date | None = None) -> str:
    """The compact number (upper-case X), or stdnum's ValidationError subclasses."""
    number = ric.compact(number)
    if len(number) != 18:
        raise InvalidLength()
    if not isdigits(number[:-1]):
        raise InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidChecksum()
    if ric.get_birth_date(number) > (today or date.today()):  # raises InvalidComponent for an impossible date
        raise InvalidComponent()
    if not known_address_code(number[:6]):
        raise InvalidComponent()
    return number


@lru_cache(maxsize=8192)
def known_address_code(code: str) -> bool:
    """Whether the six-digit administrative division code was ever assigned (any period)."""
    from stdnum import numdb

    return any(props for _part, props in numdb.get("cn/loc").info(code))


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except Exception:  # noqa: BLE001 - stdnum's ValidationError family, or garbage of the wrong type
        return False
    return True
