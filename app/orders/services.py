"""Buying: quotes of a cart, checkouts split per group, stock that never oversells, status moves,
expiry of unpaid checkouts, reviews."""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.catalog.models import Product
from app.core import ops, regions, validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.money import format_rupiah
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group, Membership

from . import gateway, notify, shipping
from .models import ORDER_STATUSES, Checkout, IdempotencyRecord, Order, OrderEvent, OrderLine, Review

log = logging.getLogger(__name__)
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


def check_for_sale(product_id: int) -> Product:
    """Before a product goes into a cart: it is public and its permit lets it be sold."""
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public:
        raise NotFound(_("Produk tidak ditemukan."))
    if product.lapsed_permit is not None:
        raise Conflict(lapsed_message(product))
    return product


def lapsed_message(product: Product) -> str:
    from app.catalog.permits import label

    permit = product.lapsed_permit
    return _("%(name)s belum bisa dibeli: %(permit)s-nya %(state)s.", name=product.name, permit=label(permit.type),
             state=_("sudah berakhir") if permit.effective_status == "expired" else _("ditolak petugas"))


def _merge(items) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    return list(merged.items())


def quote(items, ship_province: str | None = None, methods: dict[str, str] | None = None) -> Quote:
    """Prices, tiers, minimums, stock and shipping of a cart, all from the database."""
    errors: dict[str, list[str]] = {}
    stock_errors: dict[str, list[str]] = {}
    items = _merge(items)
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
            collect(errors, f"{key}.quantity", _("%(name)s: pembelian minimum %(n)s %(unit)s.",
                                                 name=product.name, n=product.min_order_qty, unit=product.unit))
        if quantity > product.stock:
            collect(stock_errors, f"{key}.quantity", _("%(name)s: stok tinggal %(n)s.", name=product.name, n=product.stock))
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
                collect(errors, f"shipping.{gq.group.slug}",
                        _("%(g)s tidak membuka pengambilan di acara itu. Pilih cara lain.", g=gq.group.name))
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


def clean_address(address: dict, errors: dict) -> dict:
    prefix = "shipping_address."
    out = {
        "ship_name": validate.text(address.get("name"), errors, prefix + "name", max_len=120),
        "ship_phone": validate.phone(address.get("phone"), errors, prefix + "phone"),
        "ship_street": validate.text(address.get("street"), errors, prefix + "street", max_len=255),
        "ship_village": validate.text(address.get("village"), errors, prefix + "village", max_len=120, required=False),
        "ship_district": validate.text(address.get("district"), errors, prefix + "district", max_len=120),
    }
    if not out["ship_phone"] and not errors.get(prefix + "phone"):
        collect(errors, prefix + "phone", _("Wajib diisi."))
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


def fingerprint(req: CheckoutRequest) -> str:
    data = json.dumps([sorted(req.items), req.shipping_address, req.payment_method, req.note, req.shipping_methods],
                      sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def replay(user: User | None, key: str | None) -> IdempotencyRecord | None:
    if not key or user is None:
        return None
    return db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.user_id == user.id,
                                                             IdempotencyRecord.key == key))


CLAIM_WAIT_SECONDS = 15
CLAIM_STALE_SECONDS = 120


def claim(user: User, key: str, req: CheckoutRequest) -> IdempotencyRecord | None:
    """Take an Idempotency-Key before doing the work, so concurrent requests with it wait for the first
    one's answer instead of racing it. None: this request holds the key now and must answer it
    (`place_checkout` stores the answer). A record: the first answer, to send again. A key used with
    another body is 422; one still held after the wait is 409."""
    import time

    fp = fingerprint(req)
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        record = replay(user, key)
        if record is None:
            db.session.add(IdempotencyRecord(user_id=user.id, key=key, fingerprint=fp, status=None, body=None))
            try:
                db.session.commit()
                return None
            except IntegrityError:
                db.session.rollback()  # another request claimed it a moment ago: wait for its answer
                if replay(user, key) is None:
                    raise
                continue
        if record.fingerprint != fp:
            raise ValidationFailed(_("Idempotency-Key ini sudah dipakai untuk permintaan lain."),
                                   {"Idempotency-Key": [_("Sudah dipakai untuk permintaan lain.")]})
        if record.finished:
            return record
        if (utcnow() - record.created_at).total_seconds() > CLAIM_STALE_SECONDS:
            # its holder died before answering: nothing was written with it, so the key is free again
            db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id,
                                                               IdempotencyRecord.status.is_(None)))
            db.session.commit()
            continue
        db.session.rollback()  # end this read so the next one sees the holder's commit
        if time.monotonic() > deadline:
            raise Conflict(_("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi sebentar lagi."))
        time.sleep(0.05)


def _answer(user_id: int, key: str, status: int, body: dict) -> None:
    db.session.execute(update(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id,
                                                       IdempotencyRecord.key == key)
                       .values(status=status, body=body).execution_options(synchronize_session=False))


def remember_answer(user: User, key: str, status: int, body: dict) -> None:
    """A refused request's answer, kept under its claimed key for the retries."""
    db.session.rollback()
    _answer(user.id, key, status, body)
    db.session.commit()


def release(user: User, key: str) -> None:
    """An unexpected failure: free the key (nothing was written with it) so a retry does the work."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.user_id == user.id,
                                                       IdempotencyRecord.key == key, IdempotencyRecord.status.is_(None)))
    db.session.commit()


def place_checkout(buyer: User | None, req: CheckoutRequest, *, idempotency_key: str | None = None,
                   render=None) -> Checkout:
    """Reserve the stock of every line and write one checkout, one order per group and one payment,
    in one transaction. `render(checkout) -> (status, body)` stores the answer for retries with the
    same Idempotency-Key in that transaction too."""
    errors: dict[str, list[str]] = {}
    if not req.items:
        collect(errors, "items", _("Keranjang kosong."))
    if len(req.items) > 50:
        collect(errors, "items", _("Paling banyak 50 produk per pembelian."))
    values = clean_address(req.shipping_address or {}, errors)
    if buyer is None:
        email = validate.email(req.email, errors)
        phone = validate.phone(req.phone, errors, "phone")
        if not phone and "phone" not in errors:
            collect(errors, "phone", _("Wajib diisi."))
    else:
        email, phone = buyer.email, buyer.phone or values.get("ship_phone")
    pay = gateway.method(req.payment_method)
    if pay is None:
        collect(errors, "payment_method", _("Pilih cara bayar."))
    note = validate.text(req.note, errors, "note", max_len=500, required=False)
    org = gateway.verified_organisation_of(buyer)
    if pay is not None:
        pay.check(buyer, org)  # e.g. invoice on terms: 403 unless a verified business buyer with terms
    q = quote(req.items, values.get("ship_province_code"), req.shipping_methods)
    unfit = pay.unfit_for(q) if pay is not None and not q.errors else None
    if unfit:
        collect(errors, "payment_method", unfit)  # e.g. paying at the stand needs a pick-up at an event
    for key, messages in q.errors.items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if q.stock_errors:
        raise Conflict(_("Stok tidak cukup: %(what)s", what=" ".join(m for ms in q.stock_errors.values() for m in ms)),
                       q.stock_errors)
    if req.shown_total_idr is not None and req.shown_total_idr != q.total_idr:
        message = _("Total untuk alamat dan pilihan ini %(total)s (barang %(goods)s, ongkos kirim %(ship)s), bukan "
                    "%(shown)s seperti tadi. Periksa, lalu tekan Buat pesanan lagi.", total=format_rupiah(q.total_idr),
                    goods=format_rupiah(q.goods_idr), ship=format_rupiah(q.shipping_idr),
                    shown=format_rupiah(req.shown_total_idr))
        raise Conflict(message, {"total": [message]})
    db.session.commit()  # end the read; no transaction stays open while the payment provider is called

    reference = secrets.token_urlsafe(24)
    intent = pay.prepare(q.total_idr, reference, q)  # card: a PaymentIntent; Midtrans: a charge
    try:
        checkout = write_checkout(buyer, req.payment_method, q, values, email, phone, note, reference, intent,
                                  items=req.items, idempotency_key=idempotency_key, render=render, org=org)
    except BaseException:
        pay.abandon(intent)
        raise
    ops.CHECKOUTS.labels(checkout.payment_method).inc()
    notify.checkout_placed(checkout)
    return checkout


def write_checkout(buyer, payment_method, q, values, email, phone, note, reference, intent, *, items,
                   idempotency_key=None, render=None, org=None, purchase_number=None):
    """One transaction: the checkout, an order per group with its lines, the stock, the payment, the
    invoices (terms), and the idempotent answer. Conflict when a product's stock is gone."""
    pay = gateway.method(payment_method)
    now = utcnow()
    status = pay.initial_status
    checkout = Checkout(
        user_id=buyer.id if buyer else None, organisation_id=org.id if org else None, purchase_number=purchase_number,
        email=email, phone=phone, access_key=reference, note=note,
        payment_method=payment_method, status=status, goods_idr=q.goods_idr,
        shipping_idr=q.shipping_idr, total_idr=q.total_idr, idempotency_key=idempotency_key,
        expires_at=pay.deadline(q, now) or now + timedelta(hours=current_app.config["CHECKOUT_TTL_HOURS"]), **values)
    db.session.add(checkout)
    for gq in q.groups:
        order = Order(checkout=checkout, group_id=gq.group.id, user_id=checkout.user_id, status=status,
                      organisation_id=checkout.organisation_id,
                      shipping_method=gq.shipping_method, shipping_zone=gq.zone, weight_g=gq.weight_g,
                      pickup_event_id=gq.pickup.id if gq.pickup else None,
                      pickup_place=gq.pickup.label[:255] if gq.pickup else None,
                      goods_idr=gq.goods_idr, shipping_idr=gq.shipping_idr, total_idr=gq.total_idr)
        order.lines = [OrderLine(product_id=line.product.id, name=line.product.name, unit=line.product.unit,
                                 net_weight_g=line.product.net_weight_g, quantity=line.quantity,
                                 unit_price_idr=line.unit_price_idr, line_total_idr=line.line_total_idr)
                       for line in gq.lines]
        order.events = [OrderEvent(from_status=None, to_status=status, actor_id=checkout.user_id,
                                   note=purchase_number)]
        db.session.add(order)
    # the stock: one conditional UPDATE per product, in id order (no deadlock between checkouts)
    wanted = sorted(_merge(items))
    short = take_stock(wanted)
    if short:
        db.session.rollback()
        remaining = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(short)))}
        stock_errors: dict[str, list[str]] = {}
        for index, (pid, _qty) in enumerate(_merge(items)):
            if pid in remaining:
                p = remaining[pid]
                collect(stock_errors, f"items.{index}.quantity", _("%(name)s: stok tinggal %(n)s.", name=p.name, n=p.stock))
        raise Conflict(_("Stok tidak cukup: %(what)s",
                         what=" ".join(m for ms in stock_errors.values() for m in ms)), stock_errors)
    db.session.flush()
    pay.record(checkout, intent, org)  # the payment row; on terms, the invoices too
    if render is not None and idempotency_key and buyer is not None:
        answer_status, body = render(checkout)
        _answer(buyer.id, idempotency_key, answer_status, body)  # the key was claimed before (claim())
    db.session.commit()
    return checkout


def take_stock(wanted: list[tuple[int, int]]) -> list[int]:
    """Decrement each product's stock if enough is left; the ids that were short (nothing is kept then)."""
    short = []
    for product_id, quantity in wanted:
        result = db.session.execute(
            update(Product).where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            short.append(product_id)
    return short


def give_back_stock(order: Order) -> None:
    for line in order.lines:
        if line.product_id:
            db.session.execute(update(Product).where(Product.id == line.product_id)
                               .values(stock=Product.stock + line.quantity).execution_options(synchronize_session=False))


# ------------------------------------------------------------------ reading orders

@dataclass
class SavedAddress:
    name: str | None
    phone: str | None
    street: str | None
    village: str | None
    district: str | None
    regency_code: str | None
    postal_code: str | None


def last_address(buyer: User) -> SavedAddress | None:
    """Where the buyer's last checkout went, to fill the next one."""
    c = db.session.scalars(select(Checkout).where(Checkout.user_id == buyer.id).order_by(Checkout.id.desc()).limit(1)).first()
    if c is None:
        return None
    return SavedAddress(c.ship_name, c.ship_phone, c.ship_street, c.ship_village, c.ship_district, c.ship_regency_code,
                        c.ship_postal_code)

LINK_LIFETIME = timedelta(days=180)


def checkout_for(buyer: User | None, checkout_id: int | None = None, access_key: str | None = None) -> Checkout:
    """A checkout by its id (its buyer only) or by its link (the access key in the URL e-mailed to the
    buyer). The link is a capability: it ends with the checkout (unpaid past its deadline, expired or
    cancelled) and LINK_LIFETIME after it was placed; the signed-in buyer who placed it keeps access."""
    stmt = select(Checkout)
    if access_key:
        stmt = stmt.where(Checkout.access_key == access_key)
    elif buyer is not None and checkout_id is not None:
        stmt = stmt.where(Checkout.id == checkout_id, Checkout.user_id == buyer.id)
    else:
        raise NotFound(_("Pesanan tidak ditemukan."))
    checkout = db.session.scalar(stmt)
    if checkout is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    owner = buyer is not None and checkout.user_id == buyer.id
    if access_key and not owner and not link_alive(checkout):
        raise NotFound(_("Tautan pesanan ini sudah tidak berlaku. Masuk ke akun Anda untuk melihat pesanan."))
    return checkout


def link_alive(checkout: Checkout, now=None) -> bool:
    now = now or utcnow()
    if checkout.status in ("expired", "cancelled"):
        return False
    if checkout.status == "pending_payment" and checkout.expires_at < now:
        return False
    return now - checkout.created_at < LINK_LIFETIME


def _buyer_scope(buyer: User):
    """One's own orders, and a business buyer's staff see all of their organisation's."""
    org = gateway.organisation_of(buyer)
    if org is not None:
        return or_(Order.user_id == buyer.id, Order.organisation_id == org.id)
    return Order.user_id == buyer.id


def orders_of_buyer(buyer: User, offset: int = 0, limit: int = 24) -> tuple[list[Order], bool]:
    rows = list(db.session.scalars(select(Order).where(_buyer_scope(buyer))
                                   .order_by(Order.id.desc()).offset(offset).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def order_for_buyer(buyer: User, order_id: int) -> Order:
    order = db.session.scalar(select(Order).where(Order.id == order_id, _buyer_scope(buyer)))
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def is_member(user: User, group_id: int) -> bool:
    return user.is_admin or db.session.scalar(
        select(Membership.id).where(Membership.group_id == group_id, Membership.user_id == user.id)) is not None


def order_for_group_member(actor: User, order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or not is_member(actor, order.group_id):
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def orders_of_group(actor: User, slug: str, status: str | None = None, offset: int = 0, limit: int = 50):
    from app.groups.services import group_for_member

    group = group_for_member(actor, slug)
    stmt = select(Order).where(Order.group_id == group.id)
    if status:
        if status not in ORDER_STATUSES:
            raise ValidationFailed(_("Status tidak dikenal."), {"status": [_("Status tidak dikenal.")]})
        stmt = stmt.where(Order.status == status)
    rows = list(db.session.scalars(stmt.order_by(Order.id.desc()).offset(offset).limit(limit + 1)))
    return group, rows[:limit], len(rows) > limit


# ------------------------------------------------------------------ the status machine

# from -> {to: who may make that move}: the one table of allowed moves (pages and the API read next_statuses)
MOVES = {
    "pending_payment": {"paid": "system", "cancelled": "system"},
    "paid": {"processing": "group", "cancelled": "group"},
    "invoiced": {"processing": "group", "cancelled": "group"},  # on terms: the group ships, the buyer pays later
    "processing": {"shipped": "group", "cancelled": "group"},
    "shipped": {"delivered": "group", "completed": "buyer"},
    "delivered": {"completed": "buyer"},
    "cancelled": {"refunded": "system"},
}


def next_statuses(order: Order, who: str) -> list[str]:
    """The statuses `who` (group, buyer or system) may move the order to now, in the order a page offers
    them: a hotel's invoiced order is prepared and shipped like a paid one."""
    return [to for to, mover in MOVES.get(order.status, {}).items() if mover == who]


def move(order: Order, to: str, actor: User | None, note: str | None = None) -> None:
    if to not in MOVES.get(order.status, {}):
        raise Conflict(_("Pesanan berstatus %(s)s tidak bisa menjadi %(t)s.", s=order.status, t=to),
                       {"status": [_("Perpindahan status ini tidak diizinkan.")]})
    order.events.append(OrderEvent(from_status=order.status, to_status=to, actor_id=actor.id if actor else None, note=note))
    order.status = to


def move_by_group(actor: User, order_id: int, to: str, tracking_number: str | None = None, reason: str | None = None) -> Order:
    order = order_for_group_member(actor, order_id)
    if MOVES.get(order.status, {}).get(to) != "group":
        raise Conflict(_("Pesanan berstatus %(s)s tidak bisa menjadi %(t)s.", s=order.status, t=to),
                       {"status": [_("Perpindahan status ini tidak diizinkan.")]})
    errors: dict[str, list[str]] = {}
    note = None
    if to == "shipped":
        tracking = validate.text(tracking_number, errors, "tracking_number", max_len=60,
                                 required=order.shipping_method == "courier")
        order.tracking_number = tracking
        note = tracking
    if to == "cancelled":
        note = validate.text(reason, errors, "reason", max_len=500, min_len=3)
        order.cancel_reason = note
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    was_paid = order.status in ("paid", "processing")
    pay = gateway.method(order.checkout.payment_method)
    move(order, to, actor, note)
    if to == "cancelled":
        give_back_stock(order)
        pay.cancelled(order)  # on terms: the invoice is void
    db.session.commit()
    if to == "cancelled" and was_paid:
        pay.refund_order(order)
    notify.order_moved(order)
    return order


def confirm_receipt(buyer: User, order_id: int) -> Order:
    order = order_for_buyer(buyer, order_id)
    if MOVES.get(order.status, {}).get("completed") != "buyer":
        raise Conflict(_("Pesanan ini belum dikirim."), {"status": [_("Perpindahan status ini tidak diizinkan.")]})
    move(order, "completed", buyer)
    db.session.commit()
    notify.order_moved(order)
    return order


def mark_paid(checkout: Checkout, actor: User | None = None, note: str | None = None) -> bool:
    """Payment arrived. Only moves forward: a second notice changes nothing. Commits."""
    if checkout.status == "paid":
        return False
    if checkout.status in ("expired", "cancelled"):
        # paid after it ran out: take the stock again if it is there, else the money goes back
        wanted = sorted(_merge((line.product_id, line.quantity) for o in checkout.orders for line in o.lines if line.product_id))
        if take_stock(wanted):
            db.session.rollback()
            log.warning("checkout %s paid after expiry and stock is gone: refunding", checkout.id)
            gateway.method(checkout.payment_method).refund_checkout(checkout)
            return False
        for order in checkout.orders:
            order.events.append(OrderEvent(from_status=order.status, to_status="pending_payment", actor_id=None,
                                           note="late payment"))
            order.status = "pending_payment"
    checkout.status = "paid"
    checkout.paid_at = utcnow()
    for order in checkout.orders:
        move(order, "paid", actor, note)
    db.session.commit()
    ops.PAYMENTS.labels(checkout.payment_method).inc()
    notify.checkout_paid(checkout)
    return True


def expire(checkout: Checkout, reason: str | None = None) -> None:
    if checkout.status != "pending_payment":
        return
    checkout.status = "expired"
    for order in checkout.orders:
        move(order, "cancelled", None, reason or _("Tidak dibayar sebelum batas waktu."))
        order.cancel_reason = reason or _("Tidak dibayar sebelum batas waktu.")
        give_back_stock(order)
    db.session.commit()
    notify.checkout_expired(checkout)


def due_for_expiry(now=None) -> list[Checkout]:
    now = now or utcnow()
    return list(db.session.scalars(select(Checkout).where(Checkout.status == "pending_payment", Checkout.expires_at < now)))


# ------------------------------------------------------------------ reviews

def add_review(buyer: User, line_id: int, rating, body: str | None) -> Review:
    line = db.session.get(OrderLine, line_id)
    order = db.session.get(Order, line.order_id) if line else None
    if line is None or order is None or order.user_id != buyer.id:
        raise NotFound(_("Pesanan tidak ditemukan."))
    if order.status != "completed":
        raise Conflict(_("Ulasan dapat ditulis setelah pesanan selesai."))
    if line.review is not None:
        raise Conflict(_("Produk ini sudah Anda ulas."))
    if line.product_id is None:
        raise Conflict(_("Produk ini sudah tidak ada."))
    errors: dict[str, list[str]] = {}
    stars = validate.integer(rating, errors, "rating", low=1, high=5)
    text = validate.text(body, errors, "body", max_len=2000, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    review = Review(line_id=line.id, product_id=line.product_id, user_id=buyer.id, rating=stars, body=text)
    db.session.add(review)
    db.session.execute(update(Product).where(Product.id == line.product_id).values(
        rating_count=Product.rating_count + 1, rating_sum=Product.rating_sum + stars))
    db.session.commit()
    return review


def reply_to_review(actor: User, review_id: int, text: str) -> Review:
    review = db.session.get(Review, review_id)
    product = db.session.get(Product, review.product_id) if review else None
    if review is None or product is None or not is_member(actor, product.group_id):
        raise NotFound(_("Ulasan tidak ditemukan."))
    if review.reply:
        raise Conflict(_("Ulasan ini sudah dibalas."))
    errors: dict[str, list[str]] = {}
    review.reply = validate.text(text, errors, "reply", max_len=2000)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    review.replied_at = utcnow()
    db.session.commit()
    return review


def reviews_of(product_id: int, limit: int = 20) -> list[Review]:
    return list(db.session.scalars(select(Review).where(Review.product_id == product_id)
                                   .order_by(Review.id.desc()).limit(limit)))

