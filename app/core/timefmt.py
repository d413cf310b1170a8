"""Times are stored in UTC and shown in a place's zone (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime

from . import regions


def local(value: datetime | None, province_code: str | None = None) -> str:
    if value is None:
        return ""
    zone = regions.zone_of(province_code)
    shown = value.astimezone(ZoneInfo(regions.ZONES[zone]))
    return f"{format_datetime(shown, 'd MMM yyyy HH:mm', rebase=False)} {zone}"


def long_date(value) -> str:
    """A date as people write it, in the page's language: "14 November 2026", "November 14, 2026"."""
    return format_date(value, "long") if value else ""


def month_name(value: date | str | None) -> str:
    """ "November 2026" in either language, from a date or a month as stored ("2026-11")."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value + "-01") if len(value) == 7 else date.fromisoformat(value)
        except ValueError:
            return value  # not a month: shown as it is
        return format_date(day, "LLLL yyyy")
    return format_date(value, "LLLL yyyy") if value else ""


def today_wib() -> date:
    """Today in Western Indonesia (UTC+7): the platform's calendar day (deadlines, permits, events)."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()
