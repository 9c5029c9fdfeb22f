"""What a tenant's portal lists: its effective items with their navigation facets and a search index.

Built once per tenant and catalogue generation (the pattern of configurator.publishing.cache): the
facets that are not in the catalogue's summary columns (themes, life events, the power-list entry) come
from the published versions' content, read once per version per worker whatever the number of tenants.
"""
from __future__ import annotations

import csv
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.publishing.models import PUBLISHED, ItemVersion
from tongban.platform.portal.reads import catalogue_generation
from tongban.platform.portal.search import SearchIndex

THEMES_CSV = Path(__file__).resolve().parents[2] / "configurator" / "catalogue_data" / "theme_categories.csv"
SUBJECTS = {"individual": "自然人", "enterprise": "法人"}
HOME_THEMES, HOME_EVENTS, HOME_DEPARTMENTS = 12, 16, 24
AUDIENCE_OF_SUBJECT = {v: k for k, v in SUBJECTS.items()}


@cache
def theme_names() -> dict[str, str]:
    """``{"自然人:005": "生育收养", "法人:165": "法人注销", ...}`` (national theme categories)."""
    with THEMES_CSV.open(encoding="utf-8") as f:
        return {f"{row['subject']}:{row['theme_code']}": row["theme_name"] for row in csv.DictReader(f)}


def theme_tag(tag: str, audience: tuple[str, ...]) -> str | None:
    """A theme as ``subject:code``; a bare code is read in the item's audience (enterprise first)."""
    if ":" in tag:
        return tag if tag in theme_names() else None
    for audience_key in ("enterprise", "individual"):
        if audience_key in audience and f"{SUBJECTS[audience_key]}:{tag}" in theme_names():
            return f"{SUBJECTS[audience_key]}:{tag}"
    return None


@dataclass(frozen=True)
class Facts:
    """The parts of a version's content the portal lists by (not local: no override changes them)."""

    themes: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    power: dict | None = None
    legal_basis: str = ""


@dataclass(frozen=True)
class PortalItem:
    code: str
    name: str
    kind: str
    department: str
    case_type: str
    audience: tuple[str, ...]
    channels: tuple[str, ...]
    legal_limit_days: int | None
    promised_limit_days: int | None
    facts: Facts = field(default_factory=Facts)

    @property
    def online(self) -> bool:
        return "online" in self.channels


@dataclass
class CatalogueIndex:
    generation: int
    items: list[PortalItem]
    by_code: dict[str, PortalItem] = field(init=False)
    search: SearchIndex = field(init=False)
    departments: list[tuple[str, int]] = field(init=False)
    life_events: list[tuple[str, int]] = field(init=False)
    kinds: list[tuple[str, int]] = field(init=False)
    themes: dict[str, list[tuple[str, str, int]]] = field(init=False)  # audience → (tag, name, count)

    def __post_init__(self) -> None:
        self.by_code = {i.code: i for i in self.items}
        self.search = SearchIndex([i.name for i in self.items], [i.department for i in self.items])
        self.departments = _counted(i.department for i in self.items)
        self.life_events = _counted(e for i in self.items for e in i.facts.life_events)
        self.kinds = _counted(i.kind for i in self.items)
        counts = Counter(t for i in self.items for t in i.facts.themes)
        self.themes = {audience: [(tag, name, counts[tag]) for tag, name in theme_names().items()
                                  if tag.startswith(subject + ":") and counts[tag]]
                       for audience, subject in SUBJECTS.items()}
        self.audience_counts = {a: sum(1 for i in self.items if a in i.audience) for a in SUBJECTS}
        self.home = self._home_facets()

    def _home_facets(self) -> dict:
        """The home page's tiles, most used first, with their links' query strings ready."""
        def top(rows, key: str, limit: int):
            return [(urlencode({key: value}), name, count) for value, name, count in rows[:limit]]
        return {
            "themes": {a: top(sorted(rows, key=lambda r: -r[2]), "theme", HOME_THEMES) for a, rows in self.themes.items()},
            "more_themes": {a: len(rows) > HOME_THEMES for a, rows in self.themes.items()},
            "events": top([(e, e, n) for e, n in self.life_events], "event", HOME_EVENTS),
            "departments": top([(d, d, n) for d, n in self.departments], "department", HOME_DEPARTMENTS),
            "kinds": [(urlencode({"kind": k}), k, n) for k, n in self.kinds],
        }

    def filter(self, *, audience: str | None = None, department: str | None = None, theme: str | None = None,
               event: str | None = None, kind: str | None = None) -> list[PortalItem]:
        return [i for i in self.items
                if (audience is None or audience in i.audience) and (department is None or i.department == department)
                and (theme is None or theme in i.facts.themes) and (event is None or event in i.facts.life_events)
                and (kind is None or i.kind == kind)]

    def with_power(self) -> list[PortalItem]:
        return [i for i in self.items if i.facts.power]


def _counted(values) -> list[tuple[str, int]]:
    return sorted(Counter(v for v in values if v).items(), key=lambda kv: (-kv[1], kv[0]))


class FactsCache:
    """Facts per (item id, version number), shared by every tenant of this worker."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._facts: OrderedDict[tuple[int, int], Facts] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def facts(self, session: Session, keys: list[tuple[int, int]]) -> dict[tuple[int, int], Facts]:
        with self._lock:
            known = {k: self._facts[k] for k in keys if k in self._facts}
        missing = [k for k in keys if k not in known]
        wanted = set(missing)
        for start in range(0, len(missing), 500):
            ids = {item_id for item_id, _ in missing[start:start + 500]}
            rows = session.execute(select(ItemVersion.item_id, ItemVersion.version_no, ItemVersion.content)
                                   .where(ItemVersion.item_id.in_(ids), ItemVersion.state == PUBLISHED))
            for row in rows:
                if (row.item_id, row.version_no) in wanted:
                    known[(row.item_id, row.version_no)] = facts_of(row.content)
        with self._lock:
            for key in missing:
                if key in known:
                    self._facts[key] = known[key]
            while len(self._facts) > self._max:
                self._facts.popitem(last=False)
        return known


def facts_of(content: dict) -> Facts:
    elements = content.get("elements") or {}
    audience = tuple(elements.get("audience") or ())
    themes = tuple(dict.fromkeys(t for t in (theme_tag(str(x), audience) for x in elements.get("themes") or []) if t))
    power = elements.get("power") or None
    return Facts(themes, tuple(str(e) for e in elements.get("life_events") or []),
                 dict(power) if isinstance(power, dict) else None, str(elements.get("legal_basis") or ""))


class CatalogueIndexCache:
    def __init__(self, catalogue_cache, max_tenants: int = 512) -> None:
        self._catalogue = catalogue_cache
        self._facts = FactsCache()
        self._entries: OrderedDict[str, CatalogueIndex] = OrderedDict()
        self._max = max_tenants
        self._lock = threading.Lock()

    def index(self, session: Session, tenant) -> CatalogueIndex:
        generation = catalogue_generation(session)
        with self._lock:
            hit = self._entries.get(tenant.code)
            if hit is not None and hit.generation == generation:
                self._entries.move_to_end(tenant.code)
                return hit
        entries = self._catalogue.catalogue(session, tenant)
        facts = self._facts.facts(session, [(e.item_id, e.version_no) for e in entries])
        items = [PortalItem(e.code, e.name, e.kind, e.department, e.case_type, e.audience, e.channels,
                            e.legal_limit_days, e.promised_limit_days, facts.get((e.item_id, e.version_no), Facts()))
                 for e in entries]
        built = CatalogueIndex(generation, items)
        with self._lock:
            self._entries[tenant.code] = built
            self._entries.move_to_end(tenant.code)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return built
