"""Every code a person reads, as words in the page's language: each area registers its tables here.
Templates call `label(kind, code)`; an unknown code shows as itself (and a test walks the pages for
raw codes)."""

from __future__ import annotations

# kind -> {code: words}; each area registers the tables of its own codes (labels.register)
TABLES: dict[str, dict] = {}


def register(**tables: dict) -> None:
    TABLES.update(tables)


def label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(TABLES[kind].get(code, code))
