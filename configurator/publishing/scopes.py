"""Where a version is published: the whole province, a subtree, or selected tenants."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishScope:
    """``codes`` with ``include_subtree``: [46] + True is the province; [4601] + True 海口's subtree;
    [460105100, 460106100] + False exactly those tenants."""

    codes: tuple[str, ...]
    include_subtree: bool = True

    @classmethod
    def subtree(cls, code: str) -> PublishScope:
        return cls((code,), True)

    @classmethod
    def selected(cls, *codes: str) -> PublishScope:
        return cls(tuple(dict.fromkeys(codes)), False)
