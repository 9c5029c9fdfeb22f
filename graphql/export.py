"""Export the schema's SDL to graphql/schema.graphql and tell what changed for clients.

    python -m tongban.graphql.export           # write it; print breaking and dangerous changes
    python -m tongban.graphql.export --check   # exit 1 when the committed file differs (CI)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphql import build_schema as parse_sdl
from graphql import find_breaking_changes, find_dangerous_changes

SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"


def current_sdl() -> str:
    from tongban.graphql.schema import build_schema

    return build_schema().as_str().rstrip() + "\n"


def committed_sdl() -> str | None:
    return SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else None


def changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """(breaking, dangerous) changes from ``old`` to ``new``, as graphql-core describes them."""
    before, after = parse_sdl(old), parse_sdl(new)
    breaking = [f"{c.type.name}: {c.description}" for c in find_breaking_changes(before, after)]
    dangerous = [f"{c.type.name}: {c.description}" for c in find_dangerous_changes(before, after)]
    return breaking, dangerous


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    new, old = current_sdl(), committed_sdl()
    if old is not None and old != new:
        breaking, dangerous = changes(old, new)
        for line in breaking:
            print(f"BREAKING  {line}")
        for line in dangerous:
            print(f"dangerous {line}")
    if args.check:
        if old != new:
            print(f"{SDL_PATH} is out of date: run python -m tongban.graphql.export", file=sys.stderr)
            return 1
        return 0
    SDL_PATH.write_text(new, encoding="utf-8")
    print(f"wrote {SDL_PATH} ({len(new.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
