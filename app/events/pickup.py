"""Pick-up at the stand: the events a buyer may collect a group's order at (registered with checkout by
the area) and when a reservation for a day there runs out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.core import regions
from app.core.timefmt import today_wib
from app.extensions import db
from app.orders import shipping

from .models import Event, EventGroup
from .public import when


def label_of(event: Event) -> str:
    return f"{event.name}, {when(event)}, {event.address}, {event.regency_name}"


def pickup_points(group_ids: list[int]) -> dict[int, list[shipping.PickupPoint]]:
    """Events each group is accepted at that have not ended: a buyer may collect the order there."""
    rows = db.session.execute(
        select(EventGroup.group_id, Event)
        .join(Event, Event.id == EventGroup.event_id)
        .where(
            EventGroup.group_id.in_(group_ids),
            EventGroup.status == "accepted",
            Event.cancelled_at.is_(None),
            Event.ends_on >= today_wib(),
        )
        .order_by(Event.starts_on)
    ).all()
    out: dict[int, list[shipping.PickupPoint]] = {}
    for group_id, event in rows:
        out.setdefault(group_id, []).append(
            shipping.PickupPoint(
                event.id, event.name, label_of(event), end_of(event.ends_on, event.province_code), event.province_code
            )
        )
    return out


def end_of(day: date, province_code: str | None = None) -> datetime:
    """The end of a day where the event is (WIB, WITA or WIT): when a reservation for that day runs out."""
    zone = ZoneInfo(regions.ZONES[regions.zone_of(province_code)])
    return datetime.combine(day + timedelta(days=1), time(0), zone)
