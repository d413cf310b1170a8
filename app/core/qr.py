"""QR codes as images a page can show without a request elsewhere (segno, pure Python)."""

from __future__ import annotations

import segno


def svg_data_uri(text: str, scale: int = 4) -> str:
    """A data: URI of an SVG QR code (the page's CSP allows data: images)."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)
