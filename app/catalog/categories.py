"""The product categories, kept a few minutes by each process (the migrations alone write them)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db

from .models import Category


@dataclass(frozen=True)
class CategoryInfo:
    """A category as pages, filters and forms read it (a plain value, safe to keep between requests)."""

    id: int
    slug: str
    name_id: str
    name_en: str
    kind: str

    def name(self, locale: str = "id") -> str:
        return self.name_en if locale == "en" else self.name_id


CATEGORY_SECONDS = 300
_categories_kept: dict[str, tuple[float, tuple[CategoryInfo, ...]]] = {}


def categories() -> list[CategoryInfo]:
    """The categories, in their order. They are written only by the migrations, so each process keeps
    them five minutes instead of asking the database on every page (three times on a listing)."""
    where = str(db.engine.url)
    kept = _categories_kept.get(where)
    if kept is None or time.monotonic() - kept[0] > CATEGORY_SECONDS:
        rows = db.session.scalars(select(Category).order_by(Category.position, Category.id))
        kept = (time.monotonic(), tuple(CategoryInfo(c.id, c.slug, c.name_id, c.name_en, c.kind) for c in rows))
        _categories_kept[where] = kept
    return list(kept[1])


def category_by_slug(slug: str) -> CategoryInfo | None:
    return next((c for c in categories() if c.slug == slug), None)
