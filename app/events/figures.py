"""After the event, the officer's figures: per group that applied, what it sold there (booked in its
sales book, collected orders), the reservations still held, and the business buyers it met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.orders import counting
from app.orders.models import Checkout, Order, OrderStatus
from app.sales.models import OfflineSale, declared_counts

from .models import Event
from .pickup import end_of
from .taking_part import applications

MET_WINDOW_DAYS = 30  # a business buyer "met at the event" orders from the group within this many days of its end


@dataclass
class StandFigures:
    group: Group
    status: str
    offline_idr: int = 0
    offline_entries: int = 0
    collected_orders: int = 0  # picked up there and paid (or on terms): sales, by the one definition
    collected_idr: int = 0
    reserved_orders: int = 0  # reservations: placed for pick-up there, not paid yet, still held
    reserved_idr: int = 0
    new_business_buyers: int = 0


@dataclass
class Figures:
    stands: list[StandFigures]

    @property
    def offline_idr(self) -> int:
        return sum(s.offline_idr for s in self.stands)

    @property
    def collected_idr(self) -> int:
        return sum(s.collected_idr for s in self.stands)

    @property
    def collected_orders(self) -> int:
        return sum(s.collected_orders for s in self.stands)

    @property
    def reserved_idr(self) -> int:
        return sum(s.reserved_idr for s in self.stands)

    @property
    def reserved_orders(self) -> int:
        return sum(s.reserved_orders for s in self.stands)

    @property
    def new_business_buyers(self) -> int:
        return sum(s.new_business_buyers for s in self.stands)

    @property
    def taking_part(self) -> int:
        return sum(1 for s in self.stands if s.status == "accepted")


def figures(event: Event) -> Figures:
    """Per group that applied: what it booked as sold at the event (current sales-book entries tagged with
    it); the orders for pick-up there, apart: those paid (or on terms), which count as sales, and the
    reservations, placed for pick-up there and not paid yet (at the stand or online) while they are still
    held (the group's own excepted); and the business buyers it met: organisations whose first order from
    the group came from the event's first day to 30 days after its end."""
    rows = applications(event)
    by_group = {r.group_id: StandFigures(r.group, r.status) for r in rows}
    if not by_group:
        return Figures([])
    ids = list(by_group)
    for gid, total, count in db.session.execute(
        select(OfflineSale.group_id, func.coalesce(func.sum(OfflineSale.total_idr), 0), func.count(OfflineSale.id))
        .where(OfflineSale.event_id == event.id, declared_counts(), OfflineSale.group_id.in_(ids))
        .group_by(OfflineSale.group_id)
    ):
        by_group[gid].offline_idr, by_group[gid].offline_entries = int(total), int(count)
    for gid, total, count in db.session.execute(
        select(Order.group_id, func.coalesce(func.sum(Order.total_idr), 0), func.count(Order.id))
        .where(Order.pickup_event_id == event.id, counting.counts(Order), Order.group_id.in_(ids))
        .group_by(Order.group_id)
    ):
        by_group[gid].collected_idr, by_group[gid].collected_orders = int(total), int(count)
    for gid, total, count in db.session.execute(
        select(Order.group_id, func.coalesce(func.sum(Order.total_idr), 0), func.count(Order.id))
        .join(Checkout, Checkout.id == Order.checkout_id)
        .where(
            Order.pickup_event_id == event.id,
            Order.status == OrderStatus.PENDING_PAYMENT,
            Checkout.expires_at > utcnow(),
            counting.not_by_the_group(Order),
            Order.group_id.in_(ids),
        )
        .group_by(Order.group_id)
    ):
        by_group[gid].reserved_idr, by_group[gid].reserved_orders = int(total), int(count)
    start = end_of(event.starts_on - timedelta(days=1), event.province_code)
    stop = end_of(event.ends_on + timedelta(days=MET_WINDOW_DAYS), event.province_code)
    first = (
        select(Order.group_id, Order.organisation_id, func.min(Order.created_at).label("first_at"))
        .where(Order.organisation_id.is_not(None), Order.group_id.in_(ids), counting.counts(Order))
        .group_by(Order.group_id, Order.organisation_id)
        .subquery()
    )
    for gid, count in db.session.execute(
        select(first.c.group_id, func.count())
        .where(first.c.first_at >= start, first.c.first_at < stop)
        .group_by(first.c.group_id)
    ):
        by_group[gid].new_business_buyers = int(count)
    return Figures(sorted(by_group.values(), key=lambda s: (s.status != "accepted", s.group.name)))
