"""Cleaners of identity-like field types: phone, email, resident ID, USCC and division code."""

from __future__ import annotations

import re
from typing import Any

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from . import resident_id
from .errors import Invalid
from .spec import CleanEnv, FieldSpec

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area codes 010 and 020-029 have three digits, all others four; local numbers 7-8 digits.
LANDLINE = re.compile(r"^(0(?:10|2\d|[3-9]\d{2}))-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
                   r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
DIVISION_CODE = re.compile(r"^\d{2}(?:\d{2}){0,2}(?:\d{3}){0,2}$")
_MOBILE_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")
_SPACES = re.compile(r"[\s\u3000]+")


def clean_phone(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    """A mainland mobile (13812345678) or a landline (0898-66668888[-123])."""
    text = _SPACES.sub("", _text(raw, "invalid_phone")).replace("（", "(").replace("）", ")")
    text = re.sub(r"^\((0\d{2,3})\)", r"\1-", text)
    mobile = _MOBILE_PREFIX.sub("", text.replace("-", ""))
    if spec.phone_kind != "landline" and MOBILE.match(mobile):
        return mobile
    landline = LANDLINE.match(text)
    if spec.phone_kind != "mobile" and landline:
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise Invalid({"mobile": "invalid_mobile", "landline": "invalid_landline"}.get(
        spec.phone_kind, "invalid_phone"))


def clean_email(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    text = _text(raw, "invalid_email").strip()
    if len(text) > (spec.max_length or 254) or not EMAIL.match(text):
        raise Invalid("invalid_email")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def clean_resident_id(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    """An 18-character resident ID: check digit, a real birth date, an address code that was ever assigned
    (``resident_id``: not stdnum's birth-year rule, which refuses real older residents)."""
    return _stdnum_valid(resident_id, raw, "invalid_resident_id", "resident_id_checksum")


def clean_uscc(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    """An 18-character unified social credit code checked by ``stdnum.cn.uscc``."""
    return _stdnum_valid(uscc, raw, "invalid_uscc", "uscc_checksum")


def clean_division(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    """A division code; a cascade path ["46", "4601", "460105"] yields its last code."""
    if isinstance(raw, (list, tuple)):
        code = _division_path_end(raw)
    else:
        code = _text(raw, "invalid_division").strip()
    if not DIVISION_CODE.match(code):
        raise Invalid("invalid_division")
    if spec.within and not code.startswith(spec.within):
        raise Invalid("division_out_of_scope")
    if env.division_known is not None and not env.division_known(code):
        raise Invalid("unknown_division")
    return code


def _division_path_end(path: list[Any] | tuple[Any, ...]) -> str:
    codes = [_text(code, "invalid_division").strip() for code in path]
    linked = all(child.startswith(parent) and child != parent
                 for parent, child in zip(codes, codes[1:]))
    if not codes or not linked:
        raise Invalid("invalid_division")
    return codes[-1]


def _stdnum_valid(module: Any, raw: Any, invalid_code: str, checksum_code: str) -> str:
    text = _text(raw, invalid_code)
    try:
        return str(module.validate(text)).upper()
    except InvalidChecksum:
        raise Invalid(checksum_code) from None
    except ValidationError:
        raise Invalid(invalid_code) from None


def _text(raw: Any, code: str) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    raise Invalid(code)
