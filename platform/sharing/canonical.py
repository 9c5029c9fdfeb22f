"""The canonical form of a license: what the issuer signs and what verification recomputes."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from tongban.platform.sharing.models import License

SIGNED_FIELDS = ("number", "type_code", "holder_kind", "holder_id", "holder_name", "issuer_tenant",
                 "issuer_department", "valid_from", "valid_until", "content")


def canonical_bytes(values: dict) -> bytes:
    """Sorted keys, no whitespace, UTF-8, dates as ISO text: the same bytes on every machine."""
    return json.dumps({k: _plain(values.get(k)) for k in SIGNED_FIELDS}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode()


def canonical_of(license_: License) -> bytes:
    return canonical_bytes({k: getattr(license_, k) for k in SIGNED_FIELDS})


def content_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
