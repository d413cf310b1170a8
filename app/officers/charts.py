"""Charts drawn on the server: geometry for a small SVG bar chart, rendered by a template
(templates/officers/_bar_chart.html), so pages stay script-free and escaping stays on."""

from __future__ import annotations


def bars(items: list[tuple[str, int]], width: int = 360, bar_height: int = 20, label_width: int = 150) -> dict:
    """Drawn 360 units wide, the width of a phone, so its 13-unit labels read at about 13 px there."""
    top = max((v for _l, v in items), default=0) or 1
    room = width - label_width - 100  # the value is written after the bar
    rows = []
    for i, (label, value) in enumerate(items):
        rows.append(
            {
                "label": label,
                "value": value,
                "y": i * (bar_height + 6),
                "w": max(1 if value else 0, round(room * value / top)),
            }
        )
    return {
        "width": width,
        "height": max(1, len(items)) * (bar_height + 6),
        "bar_height": bar_height,
        "label_width": label_width,
        "rows": rows,
    }
