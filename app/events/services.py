"""Events: officers publish bazaars, exhibitions and festivals for their area; groups apply and the
officer decides; buyers reserve products to pick up at the stand; after the event the group books what
it sold there (the offline sales book, tagged with the event) and the officer sees the event's figures."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.scope import check_scope, scope_of
from app.catalog.models import Product
from app.core import regions, validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.text import slugify
from app.core.timefmt import long_date, today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import group_for_member
from app.orders import counting, shipping
from app.orders.models import Checkout, Order, OrderStatus
from app.sales.models import OfflineSale, declared_counts

from .models import EVENT_KINDS, OPEN_TO, Event, EventGroup

MET_WINDOW_DAYS = 30  # a business buyer "met at the event" orders from the group within this many days of its end
MAX_DAYS = 31


# ------------------------------------------------------------------ publishing (officers, admins)


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    name = validate.text(data.get("name"), errors, "name", max_len=120, min_len=3)
    kind = data.get("kind")
    if kind not in EVENT_KINDS:
        collect(errors, "kind", _("Pilih bazar, pameran atau festival."))
    open_to = data.get("open_to") or "semua"
    if open_to not in OPEN_TO:
        collect(errors, "open_to", _("Pilih siapa yang boleh ikut."))
    reg = regions.regency(data.get("regency") or "") if isinstance(data.get("regency"), str) else None
    if reg is None:
        collect(errors, "regency", _("Pilih kabupaten/kota."))
    address = validate.text(data.get("address"), errors, "address", max_len=255, min_len=3)
    today = today_wib()
    starts = validate.date_value(
        data.get("starts_on"),
        errors,
        "starts_on",
        required=True,
        not_before=today,
        too_early=_("Acara tidak bisa dimulai di masa lalu."),
    )
    ends = validate.date_value(data.get("ends_on"), errors, "ends_on", required=True)
    if starts and ends:
        if ends < starts:
            collect(errors, "ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif (ends - starts).days >= MAX_DAYS:
            collect(errors, "ends_on", _("Acara paling lama %(n)s hari.", n=MAX_DAYS))
        elif starts > today + timedelta(days=730):
            collect(errors, "starts_on", _("Terbitkan acara paling lambat dua tahun sebelumnya."))
    description = validate.text(data.get("description"), errors, "description", max_len=1000, required=False)
    if errors or reg is None:  # no kabupaten/kota has been collected as an error above
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return {
        "name": name,
        "kind": kind,
        "open_to": open_to,
        "province_code": reg.province_code,
        "regency_code": reg.code,
        "address": address,
        "starts_on": starts,
        "ends_on": ends,
        "description": description,
    }


def _slug(name: str, starts: date) -> str:
    base = slugify(f"{name} {starts:%Y}", max_length=80)
    taken = db.session.scalar(select(Event.id).where(Event.slug == base))
    return base if taken is None else f"{base}-{secrets.token_hex(2)}"


def publish(actor: User, data: dict) -> Event:
    """An officer publishes for a place inside their scope (403 outside it); an admin anywhere."""
    values = _clean(data)
    check_scope(actor, values["province_code"], values["regency_code"])
    event = Event(slug=_slug(values["name"], values["starts_on"]), created_by_id=actor.id, **values)
    db.session.add(event)
    db.session.commit()
    return event


def event_for_officer(actor: User, slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("Acara tidak ditemukan."))
    check_scope(actor, event.province_code, event.regency_code)
    return event


def update(actor: User, slug: str, data: dict) -> Event:
    event = event_for_officer(actor, slug)
    values = _clean(data)
    check_scope(actor, values["province_code"], values["regency_code"])
    for key, value in values.items():
        setattr(event, key, value)
    db.session.commit()
    return event


def cancel(actor: User, slug: str) -> Event:
    """Cancelled events stay visible as cancelled; reservations for pick-up there are the groups' to
    settle with the buyers (each order shows where it was to be collected)."""
    event = event_for_officer(actor, slug)
    if event.cancelled_at is None:
        event.cancelled_at = utcnow()
        db.session.commit()
    return event


def events_for_officer(actor: User) -> list[Event]:
    scope = scope_of(actor)
    return list(
        db.session.scalars(
            select(Event)
            .where(scope.where(Event.province_code, Event.regency_code))
            .order_by(Event.starts_on.desc(), Event.id.desc())
            .limit(200)
        )
    )


# ------------------------------------------------------------------ the public side


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


# ------------------------------------------------------------------ taking part (groups)


def may_join(event: Event, group: Group) -> bool:
    if event.open_to == "kabupaten":
        return group.regency_code == event.regency_code
    if event.open_to == "provinsi":
        return group.province_code == event.province_code
    return True


def apply(actor: User, slug: str, group_slug: str, note: str | None) -> EventGroup:
    group = group_for_member(actor, group_slug)
    event = public_event(slug)
    if event.cancelled_at is not None or is_over(event):
        raise Conflict(_("Acara ini sudah selesai atau dibatalkan."))
    if not group.is_verified:
        raise Conflict(_("Kelompok perlu diverifikasi petugas dulu sebelum ikut acara."))
    if not may_join(event, group):
        raise Forbidden(
            _(
                "Acara ini hanya untuk kelompok dari %(where)s.",
                where=event.regency_name if event.open_to == "kabupaten" else event.province_name,
            )
        )
    errors: dict[str, list[str]] = {}
    note = validate.text(note, errors, "note", max_len=500, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group.id))
    if row is not None and row.status in ("applied", "accepted"):
        raise Conflict(_("Kelompok ini sudah mendaftar ke acara ini."))
    if row is None:
        row = EventGroup(event_id=event.id, group_id=group.id)
        db.session.add(row)
    row.status, row.note, row.applied_by_id, row.applied_at = "applied", note, actor.id, utcnow()
    row.decided_by_id = row.decided_at = row.reason = None
    db.session.commit()
    return row


def withdraw(actor: User, slug: str, group_slug: str) -> EventGroup:
    group = group_for_member(actor, group_slug)
    event = public_event(slug)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group.id))
    if row is None or row.status not in ("applied", "accepted"):
        raise Conflict(_("Kelompok ini tidak terdaftar di acara ini."))
    row.status = "withdrawn"
    db.session.commit()
    return row


def decide(actor: User, slug: str, group_id: int, decision: str, reason: str | None = None) -> EventGroup:
    event = event_for_officer(actor, slug)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group_id))
    if row is None or row.status == "withdrawn":
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if decision not in ("accepted", "declined"):
        raise ValidationFailed(_("Pilih terima atau tolak."), {"decision": [_("Pilih terima atau tolak.")]})
    errors: dict[str, list[str]] = {}
    why = validate.text(reason, errors, "reason", max_len=500, min_len=3, required=decision == "declined")
    if errors:
        raise ValidationFailed(_("Tuliskan alasannya untuk kelompok."), errors)
    row.status, row.reason, row.decided_by_id, row.decided_at = decision, why, actor.id, utcnow()
    db.session.commit()
    return row


def applications(event: Event) -> list[EventGroup]:
    return list(
        db.session.scalars(select(EventGroup).where(EventGroup.event_id == event.id).order_by(EventGroup.applied_at))
    )


@dataclass
class GroupEvents:
    mine: list[EventGroup]  # the group's applications, newest event first
    open: list[Event]  # upcoming events it may still apply to


def events_of_group(actor: User, group_slug: str) -> tuple[Group, GroupEvents]:
    group = group_for_member(actor, group_slug)
    mine = list(
        db.session.scalars(
            select(EventGroup).where(EventGroup.group_id == group.id).order_by(EventGroup.applied_at.desc()).limit(50)
        )
    )
    taken = {row.event_id for row in mine if row.status != "withdrawn"}
    candidates = db.session.scalars(
        select(Event)
        .where(
            Event.ends_on >= today_wib(),
            Event.cancelled_at.is_(None),
            Event.province_code.in_([group.province_code]) | (Event.open_to == "semua"),
        )
        .order_by(Event.starts_on)
        .limit(50)
    )
    return group, GroupEvents(mine, [e for e in candidates if e.id not in taken and may_join(e, group)])


def sale_events(group: Group) -> list[Event]:
    """The events a group took part in, for tagging a sales-book entry (the last year)."""
    return list(
        db.session.scalars(
            select(Event)
            .join(EventGroup, EventGroup.event_id == Event.id)
            .where(
                EventGroup.group_id == group.id,
                EventGroup.status == "accepted",
                Event.starts_on <= today_wib(),
                Event.ends_on >= today_wib() - timedelta(days=366),
            )
            .order_by(Event.starts_on.desc())
        )
    )


# ------------------------------------------------------------------ pick-up at the stand (checkout)


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


# ------------------------------------------------------------------ after the event: the officer's figures


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
