"""A case's flow and content come from its immutable item version, so each worker parses them once."""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from tongban.configurator.flows import Flow
from tongban.configurator.forms import FormSchema
from tongban.configurator.publishing.models import ItemVersion

_LOCK = threading.Lock()
_CACHE: OrderedDict[int, tuple[Flow, FormSchema, dict]] = OrderedDict()
_MAX = 2048


def version_parts(session: Session, version_id: int) -> tuple[Flow, FormSchema, dict]:
    with _LOCK:
        hit = _CACHE.get(version_id)
        if hit:
            _CACHE.move_to_end(version_id)
            return hit
    version = session.get(ItemVersion, version_id)
    content = version.content
    limit = (content.get("elements") or {}).get("promised_limit_days")
    parts = (Flow.parse(content["flow"], promised_limit_days=limit), FormSchema.parse(content.get("form") or {"fields": []}),
             content)
    with _LOCK:
        _CACHE[version_id] = parts
        while len(_CACHE) > _MAX:
            _CACHE.popitem(last=False)
    return parts


def flow_of(session: Session, version_id: int) -> Flow:
    return version_parts(session, version_id)[0]
