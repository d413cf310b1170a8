"""A checkout placed: the request checked, then one checkout, one order per group and one payment written
in one transaction (split per group). The cart's quote is in quoting.py, the stock in stock.py."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.accounts.models import User
from app.catalog import lots
from app.core import ops, places, regions, validate
from app.core.errors import Conflict, ValidationFailed, collect
from app.core.money import format_rupiah
from app.core.types import utcnow
from app.extensions import db

from . import notify, ways_to_pay
from .idempotency import store_answer
from .models import Checkout, Order, OrderEvent, OrderLine
from .quoting import GroupQuote, Quote, quote
from .stock import reserve_stock, stock_conflict

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
    place, wrong = places.pick(
        address.get("province"), address.get("regency"), address.get("district"), address.get("postal_code")
    )
    for key, message in wrong.items():  # a level that does not belong to the one above it
        collect(errors, prefix + key, message)
    if place.regency is None and not wrong:
        collect(errors, prefix + "regency", _("Pilih kabupaten/kota dari daftar."))
    elif place.regency is not None:
        out["ship_regency_code"], out["ship_province_code"] = place.regency.code, place.regency.province_code
    if place.district is not None:
        out["ship_district"] = place.district.name  # the official name
    postal = place.postal_code
    if not postal and "postal_code" not in wrong:
        collect(errors, prefix + "postal_code", _("Kode pos 5 angka."))
    out["ship_postal_code"] = postal
    return out


def destination(address: dict) -> tuple[str | None, str | None]:
    """Where a parcel goes, as far as the address says it: the province (from the kabupaten/kota) and the
    postal code when it is one of the kecamatan's (the couriers' rates are asked by postal code)."""
    reg = regions.regency(address.get("regency"))
    place, wrong = places.pick(None, address.get("regency"), address.get("district"), address.get("postal_code"))
    postal = place.postal_code if place.district is not None and "postal_code" not in wrong else None
    return (reg.province_code if reg else None), (postal or None)


@dataclass
class CheckoutRequest:
    items: list[tuple[int, int]]
    shipping_address: dict
    payment_method: str
    email: str | None = None  # a guest's; a signed-in buyer's comes from the account
    phone: str | None = None
    note: str | None = None
    # group slug -> a courier's code from the quote ("jne:reg"; "courier": the cheapest), pickup or event:<id>
    shipping_methods: dict[str, str] = field(default_factory=dict)
    # the total the buyer was shown (the checkout page): when today's figure differs, nothing is placed
    shown_total_idr: int | None = None
    po_number: str | None = None  # a business buyer's own purchase order number


@dataclass
class Checked:
    """A checkout request that passed every check, with what its checkout is written from."""

    quote: Quote
    values: dict  # the recipient and address, as the checkout's columns
    email: str | None
    phone: str | None
    note: str | None
    pay: ways_to_pay.PaymentMethod
    org: Any  # the verified business buyer the buyer works for, if any
    po_number: str | None = None


def place_checkout(
    buyer: User | None, req: CheckoutRequest, *, idempotency_key: str | None = None, render=None
) -> Checkout:
    """Reserve the stock of every line and write one checkout, one order per group and one payment,
    in one transaction. `render(checkout) -> (status, body)` stores the answer for retries with the
    same Idempotency-Key in that transaction too."""
    checked = check_request(buyer, req)
    db.session.commit()  # end the read; no transaction stays open while the payment provider is called

    reference = secrets.token_urlsafe(24)
    pay, q = checked.pay, checked.quote
    intent = pay.prepare(q.total_idr, reference, q)  # card: a PaymentIntent; Midtrans: a charge
    try:
        checkout = write_checkout(
            buyer,
            req.payment_method,
            q,
            checked.values,
            checked.email,
            checked.phone,
            checked.note,
            reference,
            intent,
            items=req.items,
            idempotency_key=idempotency_key,
            render=render,
            org=checked.org,
            po_number=checked.po_number,
        )
    except BaseException:
        pay.abandon(intent)
        raise
    ops.CHECKOUTS.labels(checkout.payment_method).inc()
    notify.checkout_placed(checkout)
    return checkout


def check_request(buyer: User | None, req: CheckoutRequest) -> Checked:
    """Every check before anything is written: ValidationFailed for what the buyer filled in, Conflict
    when the stock is short or the total differs from the one the buyer was shown."""
    errors: dict[str, list[str]] = {}
    if not req.items:
        collect(errors, "items", _("Keranjang kosong."))
    if len(req.items) > 50:
        collect(errors, "items", _("Paling banyak 50 produk per pembelian."))
    address = req.shipping_address or {}
    province, postal = destination(address)
    q = quote(req.items, province, req.shipping_methods, postal)
    values = clean_address(address, errors, delivery=q.delivers)
    if not q.delivers:
        values["ship_province_code"] = q.pickup_province
    email, phone = _contact(buyer, req, values, errors)
    pay = ways_to_pay.method(req.payment_method)
    if pay is None:
        collect(errors, "payment_method", _("Pilih cara bayar."))
    note = validate.text(req.note, errors, "note", max_len=500, required=False)
    po_number = validate.text(req.po_number, errors, "po_number", max_len=40, required=False)
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
        raise stock_conflict(q.stock_errors)
    _check_shown_total(req, q)
    return Checked(quote=q, values=values, email=email, phone=phone, note=note, pay=pay, org=org, po_number=po_number)


def _contact(buyer: User | None, req: CheckoutRequest, values: dict, errors: dict) -> tuple[str | None, str | None]:
    """The e-mail and phone the checkout is followed up with: a guest's own, a signed-in buyer's account's."""
    if buyer is None:
        email = validate.email(req.email, errors)
        phone = validate.phone(req.phone, errors, "phone")
        if not phone and "phone" not in errors:
            collect(errors, "phone", _("Wajib diisi."))
        return email, phone
    # an account made with a phone number may have no e-mail: the checkout keeps "" (nothing is mailed to it)
    return buyer.email or "", buyer.phone or values.get("ship_phone")


def _check_shown_total(req: CheckoutRequest, q: Quote) -> None:
    """Nothing is placed when today's total differs from the one the buyer was shown."""
    if req.shown_total_idr is None or req.shown_total_idr == q.total_idr:
        return
    message = _(
        "Total untuk alamat dan pilihan ini %(total)s (barang %(goods)s, ongkos kirim %(ship)s), bukan "
        "%(shown)s seperti tadi. Periksa, lalu tekan Buat pesanan lagi.",
        total=format_rupiah(q.total_idr),
        goods=format_rupiah(q.goods_idr),
        ship=format_rupiah(q.shipping_idr),
        shown=format_rupiah(req.shown_total_idr),
    )
    raise Conflict(message, {"total": [message]})


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
    po_number=None,
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
        po_number=po_number,
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
        db.session.add(_order_of(checkout, gq, status, purchase_number))
    reserve_stock(items, lots.rule_of(org))  # Conflict when a product's stock is gone (or fresh enough lots)
    db.session.flush()
    lots.assign_takes(line for order in checkout.orders for line in order.lines)
    pay.record(checkout, intent, org)  # the payment row; on terms, the invoices too
    if render is not None and idempotency_key and buyer is not None:
        answer_status, body = render(checkout)
        store_answer(buyer.id, idempotency_key, answer_status, body)  # the key was claimed before (claim())
    db.session.commit()
    return checkout


def _order_of(checkout: Checkout, gq: GroupQuote, status: str, purchase_number: str | None) -> Order:
    """The order of one group of the checkout, with its lines and its first event."""
    order = Order(
        checkout=checkout,
        group_id=gq.group.id,
        user_id=checkout.user_id,
        status=status,
        organisation_id=checkout.organisation_id,
        shipping_method=gq.shipping_method,
        shipping_zone=gq.zone,
        shipping_option=gq.option.code if gq.shipping_method == "courier" and gq.option else None,
        shipping_option_name=gq.option.name[:120] if gq.shipping_method == "courier" and gq.option else None,
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
    return order
