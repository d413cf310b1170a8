"""Times are stored in UTC and shown in a place's zone (WIB, WITA, WIT)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import format_datetime

from . import regions


def local(value: datetime | None, province_code: str | None = None) -> str:
    if value is None:
        return ""
    zone = regions.zone_of(province_code)
    shown = value.astimezone(ZoneInfo(regions.ZONES[zone]))
    return f"{format_datetime(shown, 'd MMM yyyy HH:mm', rebase=False)} {zone}"
