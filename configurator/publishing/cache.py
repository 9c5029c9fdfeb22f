"""A worker's cache of effective catalogues, valid while the catalogue clock's generation stands still.

A hit costs one primary-key read of the clock; any publish, enable/disable, pin or override moves the
generation and every worker recomputes on its next request.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from tongban.configurator.publishing.clock import current_generation
from tongban.configurator.publishing.effective import CatalogueEntry, effective_catalogue


class CatalogueCache:
    def __init__(self, max_tenants: int = 512) -> None:
        self._max = max_tenants
        self._entries: OrderedDict[str, tuple[int, list[CatalogueEntry]]] = OrderedDict()
        self._lock = threading.Lock()

    def catalogue(self, session: Session, tenant) -> list[CatalogueEntry]:
        generation = current_generation(session)  # read first: a later change can only make us recompute
        with self._lock:
            hit = self._entries.get(tenant.code)
            if hit and hit[0] == generation:
                self._entries.move_to_end(tenant.code)
                return hit[1]
        entries = effective_catalogue(session, tenant)
        with self._lock:
            self._entries[tenant.code] = (generation, entries)
            self._entries.move_to_end(tenant.code)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return entries
