"""Charts drawn on the server: geometry for a small SVG bar chart, rendered by a template
(templates/officers/_bar_chart_*.html), so pages stay script-free and escaping stays on."""

from __future__ import annotations

LABEL_HEIGHT = 16  # each row's name is written whole above its bar: no name is cut


def bars(items: list[tuple[str, int]], width: int = 360, bar_height: int = 18) -> dict:
    """Drawn 360 units wide, the width of a phone, so its 13-unit labels read at about 13 px there."""
    top = max((v for _l, v in items), default=0) or 1
    room = width - 110  # the value is written after the bar
    step = LABEL_HEIGHT + bar_height + 8
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * step
        rows.append(
            {
                "label": label,
                "value": value,
                "label_y": y + 12,
                "y": y + LABEL_HEIGHT,
                "w": max(1 if value else 0, round(room * value / top)),
            }
        )
    return {"width": width, "height": max(1, len(items)) * step, "bar_height": bar_height, "rows": rows}
