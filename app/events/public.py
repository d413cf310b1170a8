"""The public side of events: an event's page, the upcoming events, the calendar feed, the stands
(accepted groups and their products) and how an event's dates read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.catalog.models import Product
from app.core.errors import NotFound
from app.core.timefmt import long_date, today_wib
from app.extensions import db
from app.groups.models import Group

from .models import Event, EventGroup


def public_event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("Acara tidak ditemukan."))
    return event


def upcoming(province: str | None = None, limit: int = 20) -> list[Event]:
    """Events not yet over, soonest first (cancelled ones left out)."""
    stmt = select(Event).where(Event.ends_on >= today_wib(), Event.cancelled_at.is_(None))
    if province:
        stmt = stmt.where(Event.province_code == province)
    return list(db.session.scalars(stmt.order_by(Event.starts_on, Event.id).limit(limit)))


def feed(province: str | None = None) -> list[Event]:
    """For the calendar feed: from 60 days back, cancelled ones included (so calendars drop them)."""
    stmt = select(Event).where(Event.ends_on >= today_wib() - timedelta(days=60))
    if province:
        stmt = stmt.where(Event.province_code == province)
    return list(db.session.scalars(stmt.order_by(Event.starts_on, Event.id).limit(500)))


@dataclass
class Stand:
    group: Group
    products: list[Product] = field(default_factory=list)


def stands(event: Event) -> list[Stand]:
    """The accepted groups and their products on sale (two queries)."""
    groups = list(
        db.session.scalars(
            select(Group)
            .join(EventGroup, EventGroup.group_id == Group.id)
            .where(EventGroup.event_id == event.id, EventGroup.status == "accepted")
            .order_by(Group.name)
        )
    )
    by_group = {g.id: Stand(g) for g in groups}
    if by_group:
        for p in db.session.scalars(
            select(Product)
            .where(Product.group_id.in_(by_group), Product.status == "active", Product.hidden.is_(False))
            .order_by(Product.name)
        ):
            by_group[p.group_id].products.append(p)
    return list(by_group.values())


def is_over(event: Event) -> bool:
    return event.ends_on < today_wib()


def when(event: Event) -> str:
    if event.starts_on == event.ends_on:
        return long_date(event.starts_on)
    return f"{long_date(event.starts_on)} – {long_date(event.ends_on)}"
