"""Text helpers: slugs and search normalisation."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

_WORD = re.compile(r"[0-9a-z]+")


def slugify(value: str, max_length: int = 80) -> str:
    return _slugify(value, max_length=max_length, word_boundary=True) or "x"


def fold(value: str) -> str:
    """Lower case, accents removed: 'Kué Sagú' -> 'kue sagu'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(value: str) -> list[str]:
    return _WORD.findall(fold(value))


def latin1(text: str | None) -> str:
    """Text for the PDFs' built-in fonts (Latin-1): typographic dashes and quotes made plain."""
    return (
        (text or "")
        .replace("—", "-")
        .replace("–", "-")
        .replace("“", '"')
        .replace("”", '"')
        .replace("’", "'")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )
