"""The sales book: members record what the group sold outside the platform; the month shows platform
and offline sales side by side (offline figures are declared by the group, and labelled so)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.catalog.models import Product, today_wib
from app.core import validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import group_for_member
from app.orders.models import SOLD_STATUSES, Order
from app.orders.services import take_stock

from app.events.models import Event, EventGroup

from .models import OfflineSale, OfflineSaleLine

MAX_LINES = 20
# the orders that count as the platform's sales (as the officers' statistics count them)


def _clean(group: Group, data: dict) -> tuple[dict, list[dict]]:
    errors: dict[str, list[str]] = {}
    today = today_wib()
    sold_on = validate.date_value(data.get("sold_on"), errors, "sold_on", required=True,
                                  not_before=today - timedelta(days=366),
                                  too_early=_("Catat penjualan dari setahun terakhir saja."))
    if sold_on and sold_on > today:
        collect(errors, "sold_on", _("Tanggal penjualan tidak boleh di masa depan."))
    event = _event_of(group, data.get("event_id"), errors)
    if event is not None and not (data.get("place") or "").strip():
        data = dict(data, place=event.name[:120])  # sold at the event: the event is the place
    place = validate.text(data.get("place"), errors, "place", max_len=120)
    if event is not None and sold_on and not event.starts_on <= sold_on <= event.ends_on:
        collect(errors, "sold_on", _("Tanggal harus di antara hari-hari acara (%(a)s sampai %(b)s).",
                                     a=event.starts_on.isoformat(), b=event.ends_on.isoformat()))
    note = validate.text(data.get("note"), errors, "note", max_len=500, required=False)
    raw = data.get("lines") or []
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_LINES:
        collect(errors, "lines", _("Isi 1 sampai %(n)s baris barang.", n=MAX_LINES))
        raw = []
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.group_id == group.id))}
    lines = []
    for i, row in enumerate(raw):
        key = f"lines.{i}"
        if not isinstance(row, dict):
            collect(errors, key, _("Baris tidak valid."))
            continue
        product = products.get(row.get("product_id")) if row.get("product_id") else None
        if row.get("product_id") and product is None:
            collect(errors, f"{key}.product_id", _("Pilih produk kelompok ini."))
        name = product.name if product else validate.text(row.get("name"), errors, f"{key}.name", max_len=120)
        quantity = validate.integer(row.get("quantity"), errors, f"{key}.quantity", low=1, high=100_000)
        amount = validate.integer(row.get("amount_idr"), errors, f"{key}.amount_idr", low=0, high=1_000_000_000)
        lines.append({"product": product, "name": name, "quantity": quantity, "amount_idr": amount})
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    values = {"sold_on": sold_on, "place": place, "note": note, "reduce_stock": data.get("reduce_stock") is True,
              "event_id": event.id if event is not None else None,
              "total_idr": sum(line["amount_idr"] for line in lines)}
    return values, lines


def _event_of(group: Group, raw, errors: dict) -> Event | None:
    """An event the group took part in (accepted), or None when no event is named."""
    if raw in (None, ""):
        return None
    event_id = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    event = db.session.scalar(select(Event).join(EventGroup, EventGroup.event_id == Event.id).where(
        Event.id == event_id, EventGroup.group_id == group.id, EventGroup.status == "accepted")) if event_id else None
    if event is None:
        collect(errors, "event_id", _("Pilih acara yang diikuti kelompok ini."))
    return event


def _write(group: Group, actor: User, values: dict, lines: list[dict]) -> OfflineSale:
    """In the caller's transaction; with reduce_stock, each product's stock drops (never below zero)."""
    sale = OfflineSale(group_id=group.id, recorded_by_id=actor.id, **values)
    sale.lines = [OfflineSaleLine(product_id=line["product"].id if line["product"] else None, name=line["name"],
                                  quantity=line["quantity"], amount_idr=line["amount_idr"]) for line in lines]
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
            message = _("Stok tidak cukup untuk dikurangi: %(what)s. Catat tanpa mengurangi stok, atau perbarui stok dulu.",
                        what=", ".join(_("%(p)s tinggal %(n)s", p=p.name, n=p.stock) for p in left))
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
    if group is None:
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
                db.session.execute(update(Product).where(Product.id == line.product_id)
                                   .values(stock=Product.stock + line.quantity).execution_options(synchronize_session=False))
    new = _write(group, actor, values, lines)
    old.replaced_by_id, old.correction_reason, old.corrected_at = new.id, why, utcnow()
    db.session.commit()
    return new


@dataclass
class Month:
    start: date
    entries: list[OfflineSale]  # current and corrected, newest first
    offline_idr: int
    platform_idr: int
    platform_orders: int


MONTH_YEARS = (1900, 2999)  # a month outside these years is refused (the pages link a month either side)


def parse_month(raw: str | None) -> date:
    """"2026-11" -> 1 November 2026; empty is this month; anything else (another form, a month that
    does not exist, a year outside MONTH_YEARS) is 422."""
    if not raw:
        return today_wib().replace(day=1)
    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", str(raw).strip())
    if found is None:
        raise ValidationFailed(_("Bulan ditulis TTTT-BB, mis. 2026-11."), {"month": [_("Bulan ditulis TTTT-BB.")]})
    year, month = int(found.group(1)), int(found.group(2))
    if not MONTH_YEARS[0] <= year <= MONTH_YEARS[1] or not 1 <= month <= 12:
        message = _("Bulan tidak ada: tahun %(low)s sampai %(high)s, bulan 01 sampai 12.", low=MONTH_YEARS[0],
                    high=MONTH_YEARS[1])
        raise ValidationFailed(message, {"month": [message]})
    return date(year, month, 1)


def month_of(actor: User, slug: str, start: date) -> tuple[Group, Month]:
    group = group_for_member(actor, slug)
    end = (start + timedelta(days=32)).replace(day=1)
    entries = list(db.session.scalars(select(OfflineSale).where(
        OfflineSale.group_id == group.id, OfflineSale.sold_on >= start, OfflineSale.sold_on < end)
        .order_by(OfflineSale.sold_on.desc(), OfflineSale.id.desc())))
    from datetime import datetime, timezone
    lo = datetime(start.year, start.month, 1, tzinfo=timezone.utc)
    hi = datetime(end.year, end.month, 1, tzinfo=timezone.utc)
    platform, count = db.session.execute(select(func.coalesce(func.sum(Order.goods_idr), 0), func.count(Order.id)).where(
        Order.group_id == group.id, Order.status.in_(SOLD_STATUSES), Order.created_at >= lo, Order.created_at < hi)).one()
    return group, Month(start, entries, sum(e.total_idr for e in entries if e.is_current), int(platform), int(count))
