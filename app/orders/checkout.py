"""Buying: the quote of a cart, a checkout placed (split per group) and the stock that never oversells."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.catalog.models import Product
from app.catalog.permits import label
from app.core import ops, regions, validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.money import format_rupiah
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group

from . import notify, shipping, ways_to_pay
from .idempotency import store_answer
from .models import Checkout, Order, OrderEvent, OrderLine

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

MAX_QTY = 10_000


# ------------------------------------------------------------------ quotes


@dataclass
class QuoteLine:
    product: Product
    quantity: int
    unit_price_idr: int

    @property
    def line_total_idr(self) -> int:
        return self.unit_price_idr * self.quantity


@dataclass
class GroupQuote:
    group: Group
    lines: list[QuoteLine] = field(default_factory=list)
    shipping_method: str = "courier"
    zone: str | None = None
    shipping_idr: int = 0
    pickup: shipping.PickupPoint | None = None  # shipping_method "event": where and when
    pickup_points: list[shipping.PickupPoint] = field(default_factory=list)  # the events it may be picked up at

    @property
    def method_choice(self) -> str:
        """The value of the choice on the checkout page: courier, pickup or event:<id>."""
        return f"event:{self.pickup.id}" if self.pickup else self.shipping_method

    @property
    def goods_idr(self) -> int:
        return sum(line.line_total_idr for line in self.lines)

    @property
    def weight_g(self) -> int:
        return sum(line.product.net_weight_g * line.quantity for line in self.lines)

    @property
    def total_idr(self) -> int:
        return self.goods_idr + self.shipping_idr


@dataclass
class Quote:
    groups: list[GroupQuote]
    errors: dict[str, list[str]]
    stock_errors: dict[str, list[str]]

    @property
    def goods_idr(self) -> int:
        return sum(g.goods_idr for g in self.groups)

    @property
    def shipping_idr(self) -> int:
        return sum(g.shipping_idr for g in self.groups)

    @property
    def total_idr(self) -> int:
        return self.goods_idr + self.shipping_idr

    @property
    def delivers(self) -> bool:
        """Some group sends its goods: the checkout needs a delivery address. Picked up (at the group or
        at an event) everywhere: a name and a phone number are enough."""
        return not self.groups or any(g.shipping_method == "courier" for g in self.groups)

    @property
    def pickup_province(self) -> str:
        """Where the goods are handed over when nothing is sent: its zone tells the checkout's times."""
        g = self.groups[0] if self.groups else None
        return (g.pickup.province_code if g and g.pickup else g.group.province_code if g else "") or ""


def check_for_sale(product_id: int) -> Product:
    """Before a product goes into a cart: it is public and its permit lets it be sold."""
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public:
        raise NotFound(_("Produk tidak ditemukan."))
    if product.lapsed_permit is not None:
        raise Conflict(lapsed_message(product))
    return product


def lapsed_message(product: Product) -> str:
    permit = product.lapsed_permit
    assert permit is not None  # its callers ask only about a product whose permit has lapsed
    return _(
        "%(name)s belum bisa dibeli: %(permit)s-nya %(state)s.",
        name=product.name,
        permit=label(permit.type),
        state=_("sudah berakhir") if permit.effective_status == "expired" else _("ditolak petugas"),
    )


def merge_items(items) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    return list(merged.items())


def quote(items, ship_province: str | None = None, methods: dict[str, str] | None = None) -> Quote:
    """Prices, tiers, minimums, stock and shipping of a cart, all from the database."""
    errors: dict[str, list[str]] = {}
    stock_errors: dict[str, list[str]] = {}
    items = merge_items(items)
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_([i for i, _q in items])))}
    by_group: dict[int, GroupQuote] = {}
    rate_table = shipping.rates()
    for index, (product_id, quantity) in enumerate(items):
        key = f"items.{index}"
        product = products.get(product_id)
        if product is None or not product.is_public:
            collect(errors, f"{key}.product_id", _("Produk %(id)s tidak tersedia.", id=product_id))
            continue
        if product.lapsed_permit is not None:
            collect(errors, f"{key}.product_id", lapsed_message(product))
            continue
        if not 1 <= quantity <= MAX_QTY:
            collect(errors, f"{key}.quantity", _("Jumlah harus 1 sampai %(n)s.", n=MAX_QTY))
            continue
        if quantity < product.min_order_qty:
            collect(
                errors,
                f"{key}.quantity",
                _(
                    "%(name)s: pembelian minimum %(n)s %(unit)s.",
                    name=product.name,
                    n=product.min_order_qty,
                    unit=product.unit,
                ),
            )
        if quantity > product.stock:
            collect(
                stock_errors, f"{key}.quantity", _("%(name)s: stok tinggal %(n)s.", name=product.name, n=product.stock)
            )
        gq = by_group.setdefault(product.group_id, GroupQuote(group=product.group))
        gq.lines.append(QuoteLine(product, quantity, product.unit_price_for(quantity)))
    points = shipping.pickup_points(by_group) if by_group else {}
    for gq in by_group.values():
        gq.pickup_points = points.get(gq.group.id, [])
        choice = str((methods or {}).get(gq.group.slug, "courier"))
        gq.shipping_method = choice
        if choice.startswith("event:"):
            gq.shipping_method = "event"
            gq.pickup = next((p for p in gq.pickup_points if f"event:{p.id}" == choice), None)
            if gq.pickup is None:
                collect(
                    errors,
                    f"shipping.{gq.group.slug}",
                    _("%(g)s tidak membuka pengambilan di acara itu. Pilih cara lain.", g=gq.group.name),
                )
                gq.shipping_method = "courier"
        elif choice not in ("courier", "pickup"):
            collect(errors, f"shipping.{gq.group.slug}", _("Pilih kurir atau ambil sendiri."))
            gq.shipping_method = "courier"
        if gq.shipping_method == "courier" and ship_province:
            gq.zone = shipping.zone(gq.group.province_code, ship_province)
            gq.shipping_idr = shipping.cost(gq.weight_g, gq.zone, rate_table)
    return Quote(groups=sorted(by_group.values(), key=lambda g: g.group.name), errors=errors, stock_errors=stock_errors)


# ------------------------------------------------------------------ placing a checkout

ADDRESS_FIELDS = ("name", "phone", "street", "village", "district", "regency", "province", "postal_code")


def clean_address(address: dict, errors: dict, *, delivery: bool = True) -> dict:
    """The recipient and, for a delivery, the whole address; without one (picked up), name and phone only."""
    prefix = "shipping_address."
    out = {
        "ship_name": validate.text(address.get("name"), errors, prefix + "name", max_len=120),
        "ship_phone": validate.phone(address.get("phone"), errors, prefix + "phone"),
    }
    if not out["ship_phone"] and not errors.get(prefix + "phone"):
        collect(errors, prefix + "phone", _("Wajib diisi."))
    if not delivery:  # nothing is sent: no address is asked, kept or shown
        out |= {"ship_street": "", "ship_village": None, "ship_district": "", "ship_postal_code": ""}
        out |= {"ship_regency_code": "", "ship_province_code": ""}
        return out
    out |= {
        "ship_street": validate.text(address.get("street"), errors, prefix + "street", max_len=255),
        "ship_village": validate.text(address.get("village"), errors, prefix + "village", max_len=120, required=False),
        "ship_district": validate.text(address.get("district"), errors, prefix + "district", max_len=120),
    }
    reg = regions.regency(address.get("regency"))
    if reg is None:
        collect(errors, prefix + "regency", _("Pilih kabupaten/kota dari daftar."))
    elif address.get("province") and address["province"] != reg.province_code:
        collect(errors, prefix + "province", _("Kabupaten/kota ini tidak berada di provinsi tersebut."))
    else:
        out["ship_regency_code"], out["ship_province_code"] = reg.code, reg.province_code
        known = {d.name.lower(): d.name for d in regions.districts_of(reg.code)}
        if out["ship_district"] and known:
            if out["ship_district"].lower() not in known:
                collect(errors, prefix + "district", _("Kecamatan ini tidak ada di %(r)s.", r=reg.name))
            else:
                out["ship_district"] = known[out["ship_district"].lower()]
    postal = str(address.get("postal_code") or "").strip()
    if not (len(postal) == 5 and postal.isdigit()):
        collect(errors, prefix + "postal_code", _("Kode pos 5 angka."))
    out["ship_postal_code"] = postal
    return out


@dataclass
class CheckoutRequest:
    items: list[tuple[int, int]]
    shipping_address: dict
    payment_method: str
    email: str | None = None  # a guest's; a signed-in buyer's comes from the account
    phone: str | None = None
    note: str | None = None
    shipping_methods: dict[str, str] = field(default_factory=dict)  # group slug -> courier | pickup
    # the total the buyer was shown (the checkout page): when today's figure differs, nothing is placed
    shown_total_idr: int | None = None


def place_checkout(
    buyer: User | None, req: CheckoutRequest, *, idempotency_key: str | None = None, render=None
) -> Checkout:
    """Reserve the stock of every line and write one checkout, one order per group and one payment,
    in one transaction. `render(checkout) -> (status, body)` stores the answer for retries with the
    same Idempotency-Key in that transaction too."""
    errors: dict[str, list[str]] = {}
    if not req.items:
        collect(errors, "items", _("Keranjang kosong."))
    if len(req.items) > 50:
        collect(errors, "items", _("Paling banyak 50 produk per pembelian."))
    address = req.shipping_address or {}
    reg = regions.regency(address.get("regency"))
    q = quote(req.items, reg.province_code if reg else None, req.shipping_methods)
    values = clean_address(address, errors, delivery=q.delivers)
    if not q.delivers:
        values["ship_province_code"] = q.pickup_province
    if buyer is None:
        email = validate.email(req.email, errors)
        phone = validate.phone(req.phone, errors, "phone")
        if not phone and "phone" not in errors:
            collect(errors, "phone", _("Wajib diisi."))
    else:
        email, phone = buyer.email, buyer.phone or values.get("ship_phone")
    pay = ways_to_pay.method(req.payment_method)
    if pay is None:
        collect(errors, "payment_method", _("Pilih cara bayar."))
    note = validate.text(req.note, errors, "note", max_len=500, required=False)
    org = ways_to_pay.verified_organisation_of(buyer)
    if pay is not None:
        pay.check(buyer, org)  # e.g. invoice on terms: 403 unless a verified business buyer with terms
    unfit = pay.unfit_for(q) if pay is not None and not q.errors else None
    if unfit:
        collect(errors, "payment_method", unfit)  # e.g. paying at the stand needs a pick-up at an event
    for key, messages in q.errors.items():
        errors.setdefault(key, []).extend(messages)
    if errors or pay is None:  # no method has been collected as an error above
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if q.stock_errors:
        raise Conflict(
            _("Stok tidak cukup: %(what)s", what=" ".join(m for ms in q.stock_errors.values() for m in ms)),
            q.stock_errors,
        )
    if req.shown_total_idr is not None and req.shown_total_idr != q.total_idr:
        message = _(
            "Total untuk alamat dan pilihan ini %(total)s (barang %(goods)s, ongkos kirim %(ship)s), bukan "
            "%(shown)s seperti tadi. Periksa, lalu tekan Buat pesanan lagi.",
            total=format_rupiah(q.total_idr),
            goods=format_rupiah(q.goods_idr),
            ship=format_rupiah(q.shipping_idr),
            shown=format_rupiah(req.shown_total_idr),
        )
        raise Conflict(message, {"total": [message]})
    db.session.commit()  # end the read; no transaction stays open while the payment provider is called

    reference = secrets.token_urlsafe(24)
    intent = pay.prepare(q.total_idr, reference, q)  # card: a PaymentIntent; Midtrans: a charge
    try:
        checkout = write_checkout(
            buyer,
            req.payment_method,
            q,
            values,
            email,
            phone,
            note,
            reference,
            intent,
            items=req.items,
            idempotency_key=idempotency_key,
            render=render,
            org=org,
        )
    except BaseException:
        pay.abandon(intent)
        raise
    ops.CHECKOUTS.labels(checkout.payment_method).inc()
    notify.checkout_placed(checkout)
    return checkout


def write_checkout(
    buyer,
    payment_method,
    q,
    values,
    email,
    phone,
    note,
    reference,
    intent,
    *,
    items,
    idempotency_key=None,
    render=None,
    org=None,
    purchase_number=None,
):
    """One transaction: the checkout, an order per group with its lines, the stock, the payment, the
    invoices (terms), and the idempotent answer. Conflict when a product's stock is gone."""
    pay = ways_to_pay.method_of(payment_method)
    now = utcnow()
    status = pay.initial_status
    checkout = Checkout(
        user_id=buyer.id if buyer else None,
        organisation_id=org.id if org else None,
        purchase_number=purchase_number,
        email=email,
        phone=phone,
        access_key=reference,
        note=note,
        payment_method=payment_method,
        status=status,
        goods_idr=q.goods_idr,
        shipping_idr=q.shipping_idr,
        total_idr=q.total_idr,
        idempotency_key=idempotency_key,
        expires_at=pay.deadline(q, now) or now + timedelta(hours=current_app.config["CHECKOUT_TTL_HOURS"]),
        **values,
    )
    db.session.add(checkout)
    for gq in q.groups:
        order = Order(
            checkout=checkout,
            group_id=gq.group.id,
            user_id=checkout.user_id,
            status=status,
            organisation_id=checkout.organisation_id,
            shipping_method=gq.shipping_method,
            shipping_zone=gq.zone,
            weight_g=gq.weight_g,
            pickup_event_id=gq.pickup.id if gq.pickup else None,
            pickup_place=gq.pickup.label[:255] if gq.pickup else None,
            goods_idr=gq.goods_idr,
            shipping_idr=gq.shipping_idr,
            total_idr=gq.total_idr,
        )
        order.lines = [
            OrderLine(
                product_id=line.product.id,
                name=line.product.name,
                unit=line.product.unit,
                net_weight_g=line.product.net_weight_g,
                quantity=line.quantity,
                unit_price_idr=line.unit_price_idr,
                line_total_idr=line.line_total_idr,
            )
            for line in gq.lines
        ]
        order.events = [OrderEvent(from_status=None, to_status=status, actor_id=checkout.user_id, note=purchase_number)]
        db.session.add(order)
    # the stock: one conditional UPDATE per product, in id order (no deadlock between checkouts)
    wanted = sorted(merge_items(items))
    short = take_stock(wanted)
    if short:
        db.session.rollback()
        remaining = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(short)))}
        stock_errors: dict[str, list[str]] = {}
        for index, (pid, _qty) in enumerate(merge_items(items)):
            if pid in remaining:
                p = remaining[pid]
                collect(
                    stock_errors, f"items.{index}.quantity", _("%(name)s: stok tinggal %(n)s.", name=p.name, n=p.stock)
                )
        raise Conflict(
            _("Stok tidak cukup: %(what)s", what=" ".join(m for ms in stock_errors.values() for m in ms)), stock_errors
        )
    db.session.flush()
    pay.record(checkout, intent, org)  # the payment row; on terms, the invoices too
    if render is not None and idempotency_key and buyer is not None:
        answer_status, body = render(checkout)
        store_answer(buyer.id, idempotency_key, answer_status, body)  # the key was claimed before (claim())
    db.session.commit()
    return checkout


def take_stock(wanted: list[tuple[int, int]]) -> list[int]:
    """Decrement each product's stock if enough is left; the ids that were short (nothing is kept then)."""
    short = []
    for product_id, quantity in wanted:
        result = cast(
            "CursorResult[Any]",
            db.session.execute(  # an UPDATE's result counts its rows
                update(Product)
                .where(Product.id == product_id, Product.stock >= quantity)
                .values(stock=Product.stock - quantity)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            short.append(product_id)
    return short


def give_back_stock(order: Order) -> None:
    for line in order.lines:
        if line.product_id:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id)
                .values(stock=Product.stock + line.quantity)
                .execution_options(synchronize_session=False)
            )
