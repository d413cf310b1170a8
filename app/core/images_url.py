"""URLs of a stored photo's variants, for templates and the API."""

from __future__ import annotations

from .storage import storage


def photo_src(photo, width: int = 640) -> str:
    widths = photo.widths()
    chosen = next((w for w in widths if w >= width), widths[-1])
    return storage().url(photo.keys[str(chosen)])


def photo_srcset(photo) -> str:
    return ", ".join(f"{storage().url(photo.keys[str(w)])} {w}w" for w in photo.widths())


def photo_variants(photo) -> dict[str, str]:
    return {str(w): storage().url(photo.keys[str(w)]) for w in photo.widths()}
