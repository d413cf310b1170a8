"""The sales book: members record what the group sold outside the platform; the month shows platform
and offline sales side by side (offline figures are declared by the group, and labelled so).

A month's declared sales far above the group's history are put before an officer rather than refused (a
group really does sell 300 packs to a hotel once): the entry is kept in the book, marked, and counts in no
figure until an officer accepts it. The month's limit is OFFLINE_FACTOR times the group's largest month of
the twelve before (its sales that count on the platform, and declared sales an officer accepted), and
never below OFFLINE_FLOOR_IDR (a group without history may declare that much a month unchecked)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.catalog.models import Product
from app.core import validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.events.models import Event, EventGroup
from app.extensions import db
from app.groups.models import Group
from app.groups.services import group_for_member
from app.orders import counting
from app.orders.models import Order
from app.orders.stock import take_stock

from .models import OfflineSale, OfflineSaleLine, declared_counts

MAX_LINES = 20
OFFLINE_FACTOR = 10
OFFLINE_FLOOR_IDR = 20_000_000


def _clean(group: Group, data: dict) -> tuple[dict, list[dict]]:
    errors: dict[str, list[str]] = {}
    today = today_wib()
    sold_on = validate.date_value(
        data.get("sold_on"),
        errors,
        "sold_on",
        required=True,
        not_before=today - timedelta(days=366),
        too_early=_("Catat penjualan dari setahun terakhir saja."),
    )
    if sold_on and sold_on > today:
        collect(errors, "sold_on", _("Tanggal penjualan tidak boleh di masa depan."))
    event = _event_of(group, data.get("event_id"), errors)
    if event is not None and not (data.get("place") or "").strip():
        data = dict(data, place=event.name[:120])  # sold at the event: the event is the place
    place = validate.text(data.get("place"), errors, "place", max_len=120)
    if event is not None and sold_on and not event.starts_on <= sold_on <= event.ends_on:
        collect(
            errors,
            "sold_on",
            _(
                "Tanggal harus di antara hari-hari acara (%(a)s sampai %(b)s).",
                a=event.starts_on.isoformat(),
                b=event.ends_on.isoformat(),
            ),
        )
    note = validate.text(data.get("note"), errors, "note", max_len=500, required=False)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_LINES:
        collect(errors, "lines", _("Isi 1 sampai %(n)s baris barang.", n=MAX_LINES))
        raw = []
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.group_id == group.id))}
    lines: list[dict] = []
    for i, row in enumerate(raw):
        key = f"lines.{i}"
        if not isinstance(row, dict):
            collect(errors, key, _("Baris tidak valid."))
            continue
        product_id = row.get("product_id")
        product = products.get(product_id) if product_id else None
        if product_id and product is None:
            collect(errors, f"{key}.product_id", _("Pilih produk kelompok ini."))
        name = product.name if product else validate.text(row.get("name"), errors, f"{key}.name", max_len=120)
        quantity = validate.integer(row.get("quantity"), errors, f"{key}.quantity", low=1, high=100_000)
        amount = validate.integer(row.get("amount_idr"), errors, f"{key}.amount_idr", low=0, high=1_000_000_000)
        lines.append({"product": product, "name": name, "quantity": quantity, "amount_idr": amount})
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    values = {
        "sold_on": sold_on,
        "place": place,
        "note": note,
        "reduce_stock": data.get("reduce_stock", True) is True,  # a listed product's stock drops unless said otherwise
        "event_id": event.id if event is not None else None,
        "total_idr": sum(line["amount_idr"] for line in lines),
    }
    return values, lines


def _event_of(group: Group, raw, errors: dict) -> Event | None:
    """An event the group took part in (accepted), or None when no event is named."""
    if raw in (None, ""):
        return None
    event_id = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    event = (
        db.session.scalar(
            select(Event)
            .join(EventGroup, EventGroup.event_id == Event.id)
            .where(Event.id == event_id, EventGroup.group_id == group.id, EventGroup.status == "accepted")
        )
        if event_id
        else None
    )
    if event is None:
        collect(errors, "event_id", _("Pilih acara yang diikuti kelompok ini."))
    return event


def _month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    return start, (start + timedelta(days=32)).replace(day=1)


def _utc(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def review_limit(group: Group, month: date) -> int:
    """The most the group may declare in the month of `month` without an officer's check."""
    start, _end = _month_bounds(month)
    since = (start - timedelta(days=365)).replace(day=1)
    totals: dict[str, int] = {}
    for created, goods in db.session.execute(
        select(Order.created_at, Order.goods_idr).where(
            Order.group_id == group.id,
            counting.counts(Order),
            Order.created_at >= _utc(since),
            Order.created_at < _utc(start),
        )
    ):
        totals[f"{created:%Y-%m}"] = totals.get(f"{created:%Y-%m}", 0) + goods
    for sold_on, total in db.session.execute(
        select(OfflineSale.sold_on, OfflineSale.total_idr).where(
            OfflineSale.group_id == group.id,
            OfflineSale.replaced_by_id.is_(None),
            OfflineSale.review_status == "accepted",
            OfflineSale.sold_on >= since,
            OfflineSale.sold_on < start,
        )
    ):
        totals[f"{sold_on:%Y-%m}"] = totals.get(f"{sold_on:%Y-%m}", 0) + total
    return max(OFFLINE_FACTOR * max(totals.values(), default=0), OFFLINE_FLOOR_IDR)


def _review(group: Group, values: dict, replacing: int | None) -> None:
    """Mark the entry for an officer when its month's declared total would go above the limit."""
    start, end = _month_bounds(values["sold_on"])
    declared = (
        db.session.scalar(
            select(func.coalesce(func.sum(OfflineSale.total_idr), 0)).where(
                OfflineSale.group_id == group.id,
                declared_counts(),
                OfflineSale.sold_on >= start,
                OfflineSale.sold_on < end,
                OfflineSale.id != (replacing or 0),
            )
        )
        or 0
    )
    limit = review_limit(group, start)
    if declared + values["total_idr"] > limit:
        values.update(review_status="open", review_limit_idr=limit)


def _write(group: Group, actor: User, values: dict, lines: list[dict], replacing: int | None = None) -> OfflineSale:
    """In the caller's transaction; with reduce_stock, each product's stock drops (never below zero)."""
    _review(group, values, replacing)
    sale = OfflineSale(group_id=group.id, recorded_by_id=actor.id, **values)
    sale.lines = [
        OfflineSaleLine(
            product_id=line["product"].id if line["product"] else None,
            name=line["name"],
            quantity=line["quantity"],
            amount_idr=line["amount_idr"],
        )
        for line in lines
    ]
    db.session.add(sale)
    if values["reduce_stock"]:
        wanted: dict[int, int] = {}
        for line in lines:
            if line["product"] is not None:
                wanted[line["product"].id] = wanted.get(line["product"].id, 0) + line["quantity"]
        short = take_stock(sorted(wanted.items()))
        if short:
            db.session.rollback()
            left = db.session.scalars(select(Product).where(Product.id.in_(short))).all()
            message = _(
                "Stok tidak cukup untuk dikurangi: %(what)s. Catat tanpa mengurangi stok, atau perbarui stok dulu.",
                what=", ".join(_("%(p)s tinggal %(n)s", p=p.name, n=p.stock) for p in left),
            )
            raise Conflict(message, {"reduce_stock": [message]})
    db.session.flush()
    return sale


def record(actor: User, slug: str, data: dict) -> OfflineSale:
    group = group_for_member(actor, slug)
    values, lines = _clean(group, data)
    sale = _write(group, actor, values, lines)
    db.session.commit()
    return sale


def sale_for_member(actor: User, sale_id: int) -> tuple[OfflineSale, Group]:
    """An entry of a group the actor belongs to; anything else is 404."""
    sale = db.session.get(OfflineSale, sale_id)
    group = db.session.get(Group, sale.group_id) if sale else None
    if sale is None or group is None:
        raise NotFound(_("Catatan tidak ditemukan."))
    return sale, group_for_member(actor, group.slug)


def correct(actor: User, sale_id: int, data: dict, reason: str | None) -> OfflineSale:
    """A new entry replaces the old one, which stays in the book marked as corrected, with the reason."""
    old, group = sale_for_member(actor, sale_id)
    if not old.is_current:
        raise Conflict(_("Catatan ini sudah dikoreksi sebelumnya."))
    errors: dict[str, list[str]] = {}
    why = validate.text(reason, errors, "reason", max_len=500, min_len=3)
    if errors:
        raise ValidationFailed(_("Tulis alasan koreksinya."), errors)
    values, lines = _clean(group, data)
    if old.reduce_stock:  # the old entry's stock comes back before the new one takes its own
        for line in old.lines:
            if line.product_id:
                db.session.execute(
                    update(Product)
                    .where(Product.id == line.product_id)
                    .values(stock=Product.stock + line.quantity)
                    .execution_options(synchronize_session=False)
                )
    new = _write(group, actor, values, lines, replacing=old.id)
    old.replaced_by_id, old.correction_reason, old.corrected_at = new.id, why, utcnow()
    db.session.commit()
    return new


@dataclass
class Month:
    start: date
    entries: list[OfflineSale]  # current and corrected, newest first
    offline_idr: int  # declared, counted (not waiting for or refused by an officer)
    platform_idr: int  # the orders that count as sales, whoever saw the money
    platform_orders: int
    seen_idr: int = 0  # of which the platform saw the money arrive
    group_received_idr: int = 0  # of which the group says it received the money
    invoiced_idr: int = 0  # of which invoiced on terms, not paid yet
    held_idr: int = 0  # orders and declared entries waiting for an officer (or refused): not counted


MONTH_YEARS = (1900, 2999)  # a month outside these years is refused (the pages link a month either side)


def parse_month(raw: str | None) -> date:
    """ "2026-11" -> 1 November 2026; empty is this month; anything else (another form, a month that
    does not exist, a year outside MONTH_YEARS) is 422."""
    if not raw:
        return today_wib().replace(day=1)
    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", str(raw).strip())
    if found is None:
        raise ValidationFailed(_("Bulan ditulis TTTT-BB, mis. 2026-11."), {"month": [_("Bulan ditulis TTTT-BB.")]})
    year, month = int(found.group(1)), int(found.group(2))
    if not MONTH_YEARS[0] <= year <= MONTH_YEARS[1] or not 1 <= month <= 12:
        message = _(
            "Bulan tidak ada: tahun %(low)s sampai %(high)s, bulan 01 sampai 12.",
            low=MONTH_YEARS[0],
            high=MONTH_YEARS[1],
        )
        raise ValidationFailed(message, {"month": [message]})
    return date(year, month, 1)


def month_of(actor: User, slug: str, start: date) -> tuple[Group, Month]:
    group = group_for_member(actor, slug)
    start, end = _month_bounds(start)
    entries = list(
        db.session.scalars(
            select(OfflineSale)
            .where(OfflineSale.group_id == group.id, OfflineSale.sold_on >= start, OfflineSale.sold_on < end)
            .order_by(OfflineSale.sold_on.desc(), OfflineSale.id.desc())
        )
    )
    month = Month(start, entries, sum(e.total_idr for e in entries if e.is_current and not e.held), 0, 0)
    month.held_idr = sum(e.total_idr for e in entries if e.is_current and e.held)
    by_kind = {
        counting.SEEN_BY_PLATFORM: "seen_idr",
        counting.GROUP_SAYS: "group_received_idr",
        counting.INVOICED: "invoiced_idr",
    }
    for row in db.session.execute(
        counting.sales(
            Order.group_id == group.id, Order.created_at >= _utc(start), Order.created_at < _utc(end), with_held=True
        )
    ):
        if row.held:
            month.held_idr += row.goods_idr
            continue
        month.platform_idr += row.goods_idr
        month.platform_orders += 1
        setattr(month, by_kind[row.kind], getattr(month, by_kind[row.kind]) + row.goods_idr)
    return group, month
