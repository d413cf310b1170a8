"""Paying through Midtrans: QRIS, virtual accounts and e-wallets, beside Stripe and bank transfer.

A checkout paid so gets one Midtrans charge (order_id = the checkout's reference) for exactly its
total, with the lines and each group's shipping as items. It is paid only by Midtrans's notification:
the signature is checked, then a status call confirms what the notification says, so notifications
that arrive twice, late or out of order change nothing. Each is stored once with its effect.
Expiry follows the checkout's deadline; `flask payments reconcile` and `flask orders expire` ask
Midtrans before giving the stock back."""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.orders import status as moves
from app.orders import ways_to_pay as registry
from app.orders.models import Checkout, CheckoutStatus, OrderEvent, OrderStatus

from . import midtrans_gateway as gateway
from .models import MidtransNotification, Payment
from .providers import GatewayError
from .services import record

log = logging.getLogger(__name__)

LABELS = {
    "qris": _l("QRIS (semua aplikasi bank dan e-wallet: GoPay, OVO, DANA, ShopeePay, LinkAja)"),
    "va_bca": _l("Virtual account BCA"),
    "va_bni": _l("Virtual account BNI"),
    "va_bri": _l("Virtual account BRI"),
    "va_mandiri": _l("Mandiri Bill Payment"),
    "va_permata": _l("Virtual account Permata"),
    "gopay": _l("GoPay"),
    "shopeepay": _l("ShopeePay"),
}
REFUNDABLE = ("qris", "gopay", "shopeepay")  # Midtrans refunds these; a virtual account is refunded by hand
CODES = tuple(LABELS)


def items_of(quote) -> list[dict]:
    """Every line and each group's shipping, in whole rupiah: they add up to the checkout's total."""
    items = []
    for gq in quote.groups:
        for line in gq.lines:
            items.append(
                {
                    "id": str(line.product.id),
                    "price": line.unit_price_idr,
                    "quantity": line.quantity,
                    "name": line.product.name,
                }
            )
        if gq.shipping_idr:
            items.append(
                {
                    "id": f"ongkir-{gq.group.id}",
                    "price": gq.shipping_idr,
                    "quantity": 1,
                    "name": f"Ongkos kirim {gq.group.name}",
                }
            )
    return items


class MidtransMethod(registry.PaymentMethod):
    def __init__(self, code: str, position: int):
        self.code, self.position = code, position

    def label(self, organisation) -> str:
        return str(LABELS[self.code])

    def offered_to(self, buyer, organisation) -> bool:
        cfg = current_app.config
        return gateway.configured() and self.code in [c.strip() for c in cfg["MIDTRANS_METHODS"].split(",")]

    def check(self, buyer, organisation) -> None:
        if not self.offered_to(buyer, organisation):
            message = _("%(m)s tidak tersedia di sini. Pilih cara bayar lain.", m=self.label(None))
            raise ValidationFailed(message, {"payment_method": [message]})

    def prepare(self, amount_idr, reference, quote=None):
        minutes = current_app.config["CHECKOUT_TTL_HOURS"] * 60
        try:
            return gateway.charge(self.code, reference, amount_idr, items_of(quote) if quote else [], {}, minutes)
        except GatewayError:
            log.exception("Midtrans charge for %s failed", reference)
            raise Conflict(
                _("%(m)s sedang tidak tersedia. Coba lagi atau pilih cara bayar lain.", m=self.label(None))
            ) from None

    def abandon(self, prepared) -> None:
        pass  # the charge runs out at Midtrans on its own (custom expiry = the checkout's deadline)

    def record(self, checkout, prepared, organisation) -> None:
        payment = record(checkout, None)
        payment.provider_ref = checkout.access_key
        payment.provider_data = dict(prepared.data, transaction_id=prepared.transaction_id)

    def refund_order(self, order) -> None:
        refund(order.checkout, order.total_idr, f"order-{order.id}", order)

    def refund_checkout(self, checkout) -> None:
        refund(checkout, checkout.total_idr, f"checkout-{checkout.id}", None)

    def refunds_through_provider(self, order) -> bool:
        return self.code in REFUNDABLE  # a virtual account is paid back by hand

    def refund_part(self, order, amount_idr: int, key: str) -> str:
        return refund_part(order, amount_idr, key)

    def money_reached(self, checkout):
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == checkout.id))
        transaction = (payment.provider_data or {}).get("transaction_id") if payment else None
        return "midtrans", f"midtrans:{transaction or checkout.access_key}"

    def money_kind(self, order):
        from sqlalchemy import literal

        return literal(registry.SEEN_BY_PLATFORM)  # paid only once Midtrans's status call confirms it


def register_methods() -> None:
    for i, code in enumerate(CODES):
        registry.register(MidtransMethod(code, 21 + i))


# ------------------------------------------------------------------ notifications


def _key(body: dict) -> str:
    parts = [
        str(body.get(k, ""))
        for k in ("order_id", "transaction_id", "transaction_status", "status_code", "gross_amount", "fraud_status")
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _order_id(payment: Payment) -> str:
    """The Midtrans charge's order_id: the checkout's reference, set when the payment was recorded."""
    assert payment.provider_ref is not None  # MidtransMethod.record sets it
    return payment.provider_ref


def _payment(order_id: str) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.provider_ref == order_id, Payment.method.in_(CODES)))


def apply_status(payment: Payment, checkout: Checkout, st: gateway.Status, note: str) -> str:
    """What Midtrans says now (a status call), applied: only forward. Commits."""
    if st.transaction_status in gateway.PAID and st.fraud_status in (None, "accept"):
        if st.gross_amount_idr != checkout.total_idr:
            log.error(
                "Midtrans %s paid %s, checkout %s is %s",
                st.order_id,
                st.gross_amount_idr,
                checkout.id,
                checkout.total_idr,
            )
            db.session.commit()
            return "none"
        if payment.status != "succeeded":
            payment.status, payment.succeeded_at = "succeeded", utcnow()
        db.session.flush()
        return "paid" if moves.mark_paid(checkout, note=note) else "none"  # commits
    if st.transaction_status in gateway.ENDED and checkout.status == CheckoutStatus.PENDING_PAYMENT:
        payment.status = "cancelled" if st.transaction_status in ("expire", "cancel") else "failed"
        moves.expire(checkout)
        db.session.commit()
        return "expired"
    db.session.commit()
    return "none"


def handle_notification(body: dict) -> str:
    """Verify the signature (ValueError if wrong), confirm by a status call (GatewayError if Midtrans cannot
    be asked: nothing is stored and Midtrans sends it again), apply, and keep the notification with its
    effect. The same notification again, with Midtrans's status unchanged, is a duplicate."""
    if not isinstance(body, dict) or not gateway.signature_ok(body):
        raise ValueError("bad signature")
    order_id = str(body.get("order_id"))
    payment = _payment(order_id)
    if payment is None:
        log.warning("Midtrans notification for an unknown order %s", order_id)
        return "unknown"
    key = _key(body)
    st = gateway.status(order_id)  # the truth, whatever order the notifications come in
    row = db.session.scalar(select(MidtransNotification).where(MidtransNotification.key == key))
    if row is not None and row.confirmed_status == st.transaction_status:
        return "duplicate"
    if row is None:
        row = MidtransNotification(
            key=key, order_id=order_id[:100], transaction_status=str(body.get("transaction_status"))[:20], effect="none"
        )
        db.session.add(row)
    row.confirmed_status = st.transaction_status[:20]
    try:
        db.session.flush()
    except IntegrityError:  # the same notification, handled at this moment by another worker
        db.session.rollback()
        return "duplicate"
    checkout = payment.checkout
    effect = apply_status(payment, checkout, st, f"midtrans {st.transaction_status} {st.transaction_id or ''}")
    row.effect = effect
    db.session.commit()
    return effect


# ------------------------------------------------------------------ reconciliation, expiry, refunds


def reconcile() -> dict[str, int]:
    """Every unpaid Midtrans checkout asked again (a lost notification, a closed browser)."""
    summary = {"paid": 0, "expired": 0, "unchanged": 0, "errors": 0}
    rows = db.session.scalars(
        select(Payment)
        .join(Checkout, Checkout.id == Payment.checkout_id)
        .where(
            Payment.method.in_(CODES),
            Checkout.status.in_((CheckoutStatus.PENDING_PAYMENT, CheckoutStatus.EXPIRED)),
            Payment.status != "succeeded",
        )
    ).all()
    for payment in rows:
        checkout = payment.checkout
        try:
            st = gateway.status(_order_id(payment))
        except GatewayError:
            summary["errors"] += 1
            continue
        effect = apply_status(payment, checkout, st, "midtrans reconciled")
        if effect == "none" and checkout.status == CheckoutStatus.PENDING_PAYMENT and checkout.expires_at < utcnow():
            effect = _expire_at_midtrans(payment, checkout)
        summary[{"paid": "paid", "expired": "expired"}.get(effect, "unchanged")] += 1
    return summary


def expire_one(payment: Payment, checkout: Checkout) -> str:
    """Past its deadline: paid after all? Else Midtrans is told to expire it and the stock comes back."""
    try:
        st = gateway.status(_order_id(payment))
    except GatewayError:
        return "error"  # try again next run rather than expire a payment we cannot see
    effect = apply_status(payment, checkout, st, "midtrans found at expiry")
    if effect != "none" or checkout.status != CheckoutStatus.PENDING_PAYMENT:
        return effect
    return _expire_at_midtrans(payment, checkout)


def _expire_at_midtrans(payment: Payment, checkout: Checkout) -> str:
    """Unpaid past its deadline (Midtrans asked already): Midtrans ends the charge, the stock comes back."""
    try:
        gateway.expire(_order_id(payment))
    except GatewayError:
        log.warning("Midtrans could not expire %s; its own expiry ends it", payment.provider_ref)
    payment.status = "cancelled"
    moves.expire(checkout)
    db.session.commit()
    return "expired"


def refund(checkout: Checkout, amount_idr: int, key: str, order=None) -> None:
    """QRIS and e-wallets through Midtrans's refund; a virtual account is paid back by hand (recorded so)."""
    payment = db.session.scalar(select(Payment).where(Payment.checkout_id == checkout.id))
    if payment is None or payment.status != "succeeded":
        return
    if payment.method not in REFUNDABLE:
        log.warning("refund of %s by %s to be made by hand: %s", checkout.id, payment.method, amount_idr)
        if order is not None:  # a note in the order's history, the status unchanged (cancelled)
            order.events.append(
                OrderEvent(
                    from_status=order.status,
                    to_status=order.status,
                    actor_id=None,
                    note="refund to be made by hand (virtual account)",
                )
            )
        db.session.commit()
        return
    try:
        gateway.refund(_order_id(payment), amount_idr, key, "Pasar UPPKS refund")
    except GatewayError:
        log.exception("Midtrans refund of %s failed; it stays cancelled for a retry", checkout.id)
        return
    payment.refunded_idr += amount_idr
    if order is not None:
        moves.move(order, OrderStatus.REFUNDED, None, "midtrans refund")
    db.session.commit()


def refund_part(order, amount_idr: int, key: str) -> str:
    """Part (or all) of an order paid by QRIS or an e-wallet back through Midtrans's refund (a complaint's),
    once per refund_key; Midtrans's transaction id."""
    payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
    if payment is None or payment.status != "succeeded" or payment.method not in REFUNDABLE:
        raise registry.RefundFailed("not a settled QRIS or e-wallet payment")
    try:
        answer = gateway.refund(_order_id(payment), amount_idr, key, f"Komplain pesanan {order.number}")
    except GatewayError as exc:
        raise registry.RefundFailed(str(exc)) from None
    payment.refunded_idr += amount_idr
    return str((answer or {}).get("transaction_id") or key)
