"""Searching a tenant's items by Chinese words (jieba), full pinyin, or initials (pypinyin): ``gsdj`` → 工商登记.

The index is built once per tenant catalogue generation (see ``catalogue.CatalogueIndexCache``); each name's
terms are computed once per worker whatever the number of tenants serving it. A pinyin query matches:
1. the initials of consecutive characters (``gtgsh`` → 个体工商户), or the full pinyin from a syllable start;
2. a sequence of words, each typed as its initials or full pinyin (``gsdj`` → 工商 + 登记, ``gongshangdj``).
The second is answered with an inverted index from pieces (a word's initials or pinyin) to items, so a
query costs a few hundred dictionary look-ups and set intersections, not a pass over every name.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

HAN = re.compile(r"[\u3400-\u9fff]")
LETTERS = re.compile(r"^[a-z]+$")
MAX_QUERY = 40
jieba.setLogLevel(60)
_JIEBA_LOCK = threading.Lock()


@dataclass(frozen=True)
class Terms:
    text: str  # the name, lower case
    syllables: tuple[str, ...]  # one per character
    full: str
    initials: str  # one letter per character
    offsets: tuple[int, ...]  # where each character's syllable starts in ``full``
    words: tuple[tuple[int, int], ...]  # jieba's words (search mode) as character spans, two or more long

    @property
    def starts(self) -> dict[int, int]:
        """Syllable start in ``full`` → character index."""
        return {offset: i for i, offset in enumerate(self.offsets)}


def _cut(text: str) -> list[str]:
    with _JIEBA_LOCK:  # jieba initialises its dictionary lazily, once
        return list(jieba.cut_for_search(text))


def _finest(q: str) -> list[str]:
    """The query's words at their finest: search-mode cutting also yields each compound whole (工商登记 → 工商,
    登记, 工商登记), and requiring the compound would miss every name that has its parts apart (个体工商户设立登记)."""
    words = [w for w in dict.fromkeys(_cut(q)) if w.strip()]
    return [w for w in words if not any(o != w and o in w for o in words)]


@lru_cache(maxsize=100_000)
def terms_of(name: str) -> Terms:
    text = name.lower()
    syllables = tuple(s.lower() for s in lazy_pinyin(text, errors=lambda chunk: list(chunk)))
    if len(syllables) != len(text):  # never expected; keep positions honest anyway
        syllables = tuple(lazy_pinyin(ch, errors=lambda c: list(c))[0].lower() for ch in text)
    offsets, position = [], 0
    for syllable in syllables:
        offsets.append(position)
        position += len(syllable)
    return Terms(text, syllables, "".join(syllables), "".join(s[:1] for s in syllables), tuple(offsets),
                 tuple(_word_spans(text)))


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans, seen = [], set()
    for word in _cut(text):
        if len(word) < 2 or not HAN.search(word):
            continue
        start = text.find(word)
        while start >= 0:
            span = (start, start + len(word))
            if span not in seen:
                seen.add(span)
                spans.append(span)
            start = text.find(word, start + 1)
    return spans


@lru_cache(maxsize=100_000)
def pieces_of(terms: Terms) -> dict[str, list[tuple[int, int]]]:
    """Typed forms of each word (initials, full pinyin) and each character (full pinyin) → their spans."""
    pieces: dict[str, list[tuple[int, int]]] = {}
    for start, end in terms.words:
        for form in (terms.initials[start:end], "".join(terms.syllables[start:end])):
            pieces.setdefault(form, []).append((start, end))
    for i, syllable in enumerate(terms.syllables):
        if syllable.isalpha() and len(syllable) > 1:
            pieces.setdefault(syllable, []).append((i, i + 1))
    return pieces


@dataclass(frozen=True)
class Hit:
    position: int  # into the searched sequence
    score: int
    spans: tuple[tuple[int, int], ...] | None  # highlighted character spans (None: ask ``SearchIndex.spans``)


class SearchIndex:
    """Searches ``names`` (one per item, in the catalogue's order); results are positions with spans."""

    def __init__(self, names: Sequence[str], extras: Sequence[str] = ()) -> None:
        self.terms = [terms_of(n) for n in names]
        self.extras = [e.lower() for e in extras] or [""] * len(names)
        self.pieces: dict[str, set[int]] = {}
        for position, terms in enumerate(self.terms):
            for piece in pieces_of(terms):
                self.pieces.setdefault(piece, set()).add(position)
        self.text = Blob([t.text for t in self.terms])
        self.initials = Blob([t.initials for t in self.terms])
        self.full = Blob([t.full for t in self.terms])
        self.extra = Blob(self.extras)

    def search(self, query: str) -> list[Hit]:
        q = normalise(query)
        if not q:
            return []
        hits = self._han(q) if HAN.search(q) else self._letters(q) if LETTERS.match(q) else self._plain(q)
        return sorted(hits, key=lambda h: (-h.score, len(self.terms[h.position].text), h.position))

    def _han(self, q: str) -> list[Hit]:
        hits = {position: Hit(position, 100 - at, _spans_of(self.terms[position].text, [q]))
                for position, at in self.text.first_matches(q)}
        words = _finest(q)
        if words:
            candidates = set.intersection(*({p for p, _ in self.text.first_matches(w)} for w in words))
            for position in candidates - hits.keys():
                hits[position] = Hit(position, 60, _spans_of(self.terms[position].text, words))
        for position, _at in self.extra.first_matches(q):
            hits.setdefault(position, Hit(position, 30, ()))
        return list(hits.values())

    def _letters(self, q: str) -> list[Hit]:
        hits = {position: Hit(position, 90 - at, ((at, at + len(q)),)) for position, at in self.initials.first_matches(q)}
        for position, at in self.full.matches(q):
            if position not in hits:
                starts = self.terms[position].starts
                if at in starts:
                    first = starts[at]
                    last = max(i for o, i in starts.items() if o < at + len(q))
                    hits[position] = Hit(position, 80 - first, ((first, last + 1),))
        for position in self._segmented(q) - hits.keys():
            hits[position] = Hit(position, 50, None)  # spans found only for the results shown
        return list(hits.values())

    def spans(self, hit: Hit, query: str) -> tuple[tuple[int, int], ...]:
        if hit.spans is not None:
            return hit.spans
        return _segment_spans(self.terms[hit.position], normalise(query))

    def _segmented(self, q: str) -> set[int]:
        """Items whose words' typed forms can be strung together to make ``q`` exactly."""
        reach: list[set[int] | None] = [None] * (len(q) + 1)
        reach[0] = set(range(len(self.terms)))
        for end in range(1, len(q) + 1):
            found: set[int] = set()
            for start in range(end):
                before = reach[start]
                if before:
                    items = self.pieces.get(q[start:end])
                    if items:
                        found |= before & items
            reach[end] = found or None
        return reach[len(q)] or set()

    def _plain(self, q: str) -> list[Hit]:
        hits = {p: Hit(p, 40, _spans_of(self.terms[p].text, [q])) for p, _ in self.text.first_matches(q)}
        for position, _at in self.extra.first_matches(q):
            hits.setdefault(position, Hit(position, 30, ()))
        return list(hits.values())


class Blob:
    """Many strings joined by a separator, searched with one C-speed ``str.find`` pass per query."""

    SEPARATOR = "\x00"

    def __init__(self, values: Sequence[str]) -> None:
        self.blob = self.SEPARATOR.join(values)
        self.starts, position = [], 0
        for value in values:
            self.starts.append(position)
            position += len(value) + 1

    def matches(self, q: str) -> Iterator[tuple[int, int]]:
        """(position of the string, offset in it) of every occurrence of ``q``."""
        at = self.blob.find(q)
        while at >= 0:
            position = bisect_right(self.starts, at) - 1
            yield position, at - self.starts[position]
            at = self.blob.find(q, at + 1)

    def first_matches(self, q: str) -> Iterator[tuple[int, int]]:
        seen = set()
        for position, offset in self.matches(q):
            if position not in seen:
                seen.add(position)
                yield position, offset


def normalise(query: str) -> str:
    return re.sub(r"[\s\x00-\x1f\x7f]+", "", (query or "").strip().lower())[:MAX_QUERY]


def _spans_of(text: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    spans = []
    for word in words:
        start = text.find(word)
        while start >= 0 and word:
            spans.append((start, start + len(word)))
            start = text.find(word, start + len(word))
    return tuple(sorted(spans))


def _segment_spans(terms: Terms, q: str) -> tuple[tuple[int, int], ...]:
    """The spans one segmentation of ``q`` uses (for highlighting a single result)."""
    pieces = pieces_of(terms)
    best: list[list[tuple[int, int]] | None] = [None] * (len(q) + 1)
    best[0] = []
    for end in range(1, len(q) + 1):
        for start in range(end):
            if best[start] is not None and q[start:end] in pieces:
                best[end] = best[start] + [pieces[q[start:end]][0]]
                break
    return tuple(sorted(best[len(q)] or ()))


def highlight(name: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The name cut into (text, marked) runs; overlapping spans merge."""
    marked = [False] * len(name)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(name))):
            marked[i] = True
    runs: list[tuple[str, bool]] = []
    for ch, flag in zip(name, marked):
        if runs and runs[-1][1] == flag:
            runs[-1] = (runs[-1][0] + ch, flag)
        else:
            runs.append((ch, flag))
    return runs
