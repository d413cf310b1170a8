"""Standing orders, the buyer's side: a verified business buyer sets a repeating order with one group
(items, every week / two weeks / month, the day, its outlet, its own PO number), and pauses, resumes or
ends it. When each delivery falls is decided here (`next_delivery`); the cycles and the group's
confirmation are in proposals.py."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.catalog.models import Product
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group

from .models import Organisation
from .organisations import address_for, org_of, partners_of_org, verified_org_of
from .quotes import member_groups
from .standing_models import FREQUENCIES, Proposal, StandingLine, StandingOrder

DEFAULT_LEAD_DAYS = 3
MAX_LINES = 20


# ------------------------------------------------------------------ when the deliveries fall


def _month_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))


def first_delivery(frequency: str, weekday: int | None, day_of_month: int | None, earliest: date) -> date:
    """The first delivery day on or after `earliest` that falls on the chosen weekday (ISO 1-7) or day of
    the month."""
    if frequency == "monthly":
        day = day_of_month or 1
        this_month = _month_day(earliest.year, earliest.month, day)
        if this_month >= earliest:
            return this_month
        year, month = (earliest.year + 1, 1) if earliest.month == 12 else (earliest.year, earliest.month + 1)
        return _month_day(year, month, day)
    return earliest + timedelta(days=((weekday or 1) - earliest.isoweekday()) % 7)


def next_delivery(order: StandingOrder, on_or_after: date) -> date:
    """The standing order's next delivery day on or after a date (never before its first one)."""
    start = max(on_or_after, order.first_delivery)
    if order.frequency == "monthly":
        return first_delivery("monthly", None, order.day_of_month, start)
    step = 14 if order.frequency == "fortnightly" else 7
    behind = (start - order.first_delivery).days
    return order.first_delivery + timedelta(days=-(-behind // step) * step)


# ------------------------------------------------------------------ the buyer sets one


def _buyer_org(actor: User) -> Organisation:
    org = verified_org_of(actor)
    if org is None:
        raise Forbidden(_("Pesanan rutin hanya untuk pembeli bisnis yang terverifikasi."))
    return org


def _clean_lines(raw, errors: dict[str, list[str]]) -> list[tuple[Product, int]]:
    """The items: products on sale, all of one group, each with a whole quantity."""
    lines: list[tuple[Product, int]] = []
    for item in (raw or [])[:MAX_LINES]:
        product = db.session.get(Product, validate.integer(item.get("product_id"), {}, "product_id", low=1, high=2**62))
        quantity = validate.integer(item.get("quantity"), errors, "lines", low=1, high=100_000)
        if product is None or not product.is_public:
            collect(errors, "lines", _("Pilih produk yang sedang dijual."))
        elif quantity is not None:
            lines.append((product, quantity))
    if not lines and "lines" not in errors:
        collect(errors, "lines", _("Isi jumlah paling sedikit satu produk."))
    if len({p.group_id for p, _q in lines}) > 1:
        collect(errors, "lines", _("Satu pesanan rutin untuk produk dari satu kelompok saja."))
    return lines


def _clean_schedule(data: dict, errors: dict[str, list[str]]) -> dict:
    frequency = data.get("frequency")
    if frequency not in FREQUENCIES:
        collect(errors, "frequency", _("Pilih setiap minggu, dua minggu, atau bulan."))
    monthly = frequency == "monthly"
    weekday = None if monthly else validate.integer(data.get("weekday"), errors, "weekday", low=1, high=7)
    day = validate.integer(data.get("day_of_month"), errors, "day_of_month", low=1, high=28) if monthly else None
    lead = validate.integer(data.get("lead_days") or DEFAULT_LEAD_DAYS, errors, "lead_days", low=1, high=6)
    po = validate.text(data.get("po_number"), errors, "po_number", max_len=40, required=False)
    return {"frequency": frequency, "weekday": weekday, "day_of_month": day, "lead_days": lead, "po_number": po}


def create(actor: User, data: dict) -> StandingOrder:
    """A verified business buyer's staff set a standing order. The first delivery is the first chosen day
    at least its lead days away, so the group has its proposal in time."""
    org = _buyer_org(actor)
    errors: dict[str, list[str]] = {}
    lines = _clean_lines(data.get("lines"), errors)
    schedule = _clean_schedule(data, errors)
    address_id = validate.integer(data.get("address_id"), errors, "address_id", low=1, high=2**62)
    address = None
    if address_id is not None:
        try:
            address = address_for(actor, address_id)
        except NotFound:
            collect(errors, "address_id", _("Pilih alamat pengiriman organisasi Anda."))
    if errors or address is None:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    earliest = today_wib() + timedelta(days=schedule["lead_days"])
    order = StandingOrder(
        organisation_id=org.id,
        group_id=lines[0][0].group_id,
        created_by_id=actor.id,
        address_id=address.id,
        first_delivery=first_delivery(schedule["frequency"], schedule["weekday"], schedule["day_of_month"], earliest),
        status="active",
        **schedule,
    )
    order.lines = [StandingLine(product_id=p.id, quantity=q) for p, q in lines]
    db.session.add(order)
    db.session.commit()
    return order


# ------------------------------------------------------------------ seeing them, pausing, ending


def standing_orders_of_org(org: Organisation | None) -> list[StandingOrder]:
    if org is None:
        return []
    return list(
        db.session.scalars(
            select(StandingOrder).where(StandingOrder.organisation_id == org.id).order_by(StandingOrder.id.desc())
        )
    )


def visible_to(actor: User) -> list[StandingOrder]:
    """The buyer's staff see their organisation's; a group's members those with their groups."""
    org = org_of(actor)
    if org is not None:
        return standing_orders_of_org(org)
    groups = member_groups(actor)
    if not groups:
        return []
    return list(
        db.session.scalars(
            select(StandingOrder).where(StandingOrder.group_id.in_(groups)).order_by(StandingOrder.id.desc())
        )
    )


def _own(actor: User, standing_id: int) -> StandingOrder:
    org = org_of(actor)
    order = db.session.get(StandingOrder, standing_id)
    if order is None or org is None or order.organisation_id != org.id:
        raise NotFound(_("Pesanan rutin tidak ditemukan."))
    return order


def _cancel_open_proposals(order: StandingOrder) -> None:
    """Paused or ended: what the group has not confirmed yet will not come."""
    for proposal in order.proposals:
        if proposal.status == "proposed":
            proposal.status = "cancelled"


def pause(actor: User, standing_id: int) -> StandingOrder:
    order = _own(actor, standing_id)
    if order.status != "active":
        raise Conflict(_("Pesanan rutin ini tidak sedang berjalan."))
    order.status = "paused"
    _cancel_open_proposals(order)
    db.session.commit()
    return order


def resume(actor: User, standing_id: int) -> StandingOrder:
    order = _own(actor, standing_id)
    if order.status != "paused":
        raise Conflict(_("Hanya pesanan rutin yang dijeda yang dapat dilanjutkan."))
    order.status = "active"
    db.session.commit()
    return order


def end(actor: User, standing_id: int) -> StandingOrder:
    order = _own(actor, standing_id)
    if order.status == "ended":
        raise Conflict(_("Pesanan rutin ini sudah dihentikan."))
    order.status, order.ended_at = "ended", utcnow()
    _cancel_open_proposals(order)
    db.session.commit()
    return order


def upcoming(order: StandingOrder) -> date | None:
    """The next delivery the buyer can expect (None when paused or ended)."""
    if order.status != "active":
        return None
    return next_delivery(order, today_wib())


def open_proposals_for(order: StandingOrder) -> list[Proposal]:
    return [p for p in order.proposals if p.status == "proposed"]


# ------------------------------------------------------------------ what the buyer may pick


def groups_to_pick(org: Organisation) -> list[Group]:
    """The groups a standing order may go to: verified groups with products on sale, the organisation's
    partners and those of its province first."""
    rows = db.session.scalars(
        select(Group)
        .where(
            Group.status == "verified",
            select(Product.id).where(Product.group_id == Group.id, Product.status == "active").exists(),
        )
        .order_by(Group.name)
        .limit(200)
    ).all()
    partners = {g.id for g in partners_of_org(org)}
    return sorted(rows, key=lambda g: (g.id not in partners, g.province_code != org.province_code, g.name))


def products_to_pick(group_slug: str | None) -> tuple[Group | None, list[Product]]:
    """The chosen group and its products on sale (none when no such group)."""
    group = db.session.scalar(select(Group).where(Group.slug == group_slug)) if group_slug else None
    if group is None:
        return None, []
    return group, [p for p in db.session.scalars(select(Product).where(Product.group_id == group.id)) if p.is_public]
