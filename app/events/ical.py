"""The events as an iCalendar feed (RFC 5545), through the `icalendar` library: all-day events in
the place's own calendar, cancelled ones marked CANCELLED so subscribed calendars drop them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask_babel import force_locale
from icalendar import Calendar
from icalendar import Event as VEvent

from app.core.labels import label

from .models import Event


def calendar(events: list[Event], url_of: Callable[[Event], str]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Pasar UPPKS//Acara//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Pasar UPPKS: bazar dan pameran")
    with force_locale("id"):
        for event in events:
            item = VEvent()
            item.add("uid", f"event-{event.id}@pasar-uppks")
            item.add("summary", f"{label('event_kind', event.kind)}: {event.name}")
            item.add("dtstart", event.starts_on)
            item.add("dtend", event.ends_on + timedelta(days=1))  # DTEND of an all-day event is exclusive
            item.add("location", f"{event.address}, {event.regency_name}, {event.province_name}")
            item.add("url", url_of(event))
            item.add("description", (event.description or "") + f"\n{url_of(event)}")
            item.add("dtstamp", event.updated_at)
            item.add("last-modified", event.updated_at)
            item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
            cal.add_component(item)
    return cal.to_ical()
