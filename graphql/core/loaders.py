"""Per-request batch loaders that run synchronously.

The API executes each request in one worker thread with plain (sync) resolvers: graphql-core then never
builds a coroutine per field, which is where most of an async DataLoader's cost goes. Batching still
happens: a list resolver announces the keys of its page (``expect``) and the first ``load`` of any of
them fetches every announced key in one call; later loads are dictionary look-ups. A key nobody
announced is fetched with whatever else is pending, so a forgotten ``expect`` costs statements, never
correctness.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MISSING = object()


class BatchLoader(Generic[K, V]):
    def __init__(self, fetch: Callable[[list[K]], dict[K, V]], *, name: str = "") -> None:
        self._fetch = fetch
        self._cache: dict[K, V | None] = {}
        self._pending: dict[K, None] = {}  # insertion-ordered set
        self.name = name
        self.batches = 0  # how many fetches ran (tests and benchmarks read it)

    def expect(self, keys: Iterable[K]) -> None:
        cache, pending = self._cache, self._pending
        for key in keys:
            if key not in cache:
                pending[key] = None

    def prime(self, key: K, value: V | None) -> None:
        self._cache[key] = value
        self._pending.pop(key, None)

    def load(self, key: K) -> V | None:
        value = self._cache.get(key, MISSING)
        if value is not MISSING:
            return value
        self._pending[key] = None
        self._run()
        return self._cache.get(key)

    def load_many(self, keys: Iterable[K]) -> list[V | None]:
        keys = list(keys)
        self.expect(keys)
        return [self.load(key) for key in keys]

    def _run(self) -> None:
        batch = list(self._pending)
        self._pending = {}
        found = self._fetch(batch)
        self.batches += 1
        for key in batch:
            self._cache[key] = found.get(key)


class Loaders:
    """The request's loaders, built by each domain's ``build_loaders(context)`` in the context getter."""

    def __init__(self, loaders: dict[str, BatchLoader]) -> None:
        self._loaders = loaders

    def __getattr__(self, name: str) -> BatchLoader:
        try:
            return self._loaders[name]
        except KeyError:
            raise AttributeError(name) from None

    def all(self) -> dict[str, BatchLoader]:
        return dict(self._loaders)
