"""Card payments through the Stripe adapter: the PaymentIntent prepared before the checkout is written,
confirmed server-side, paid only on Stripe's signed webhook, refunded when a paid order is cancelled."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.orders import status as moves
from app.orders import ways_to_pay as gateway_registry
from app.orders.models import Checkout, CheckoutStatus, OrderStatus

from . import stripe_gateway as gateway
from .models import Payment, StripeEvent
from .providers import CardDeclined, GatewayError, Intent
from .services import payment_of, record

log = logging.getLogger(__name__)


def prepare(method: str, amount_idr: int, reference: str) -> Intent | None:
    """Before the checkout is written: Stripe wants a PaymentIntent (its client secret goes to the buyer)."""
    if method != "stripe":
        return None
    try:
        return gateway.create_intent(amount_idr, reference)
    except GatewayError:
        log.exception("could not create a PaymentIntent")
        raise Conflict(_("Pembayaran kartu sedang tidak tersedia. Coba lagi atau pilih transfer bank.")) from None


def abandon(intent: Intent | None) -> None:
    if intent is None:
        return
    try:
        gateway.cancel_intent(intent.id)
    except GatewayError:
        log.warning("could not cancel PaymentIntent %s", intent.id)


def pay_by_card(checkout: Checkout, payment_method_id: str) -> Intent:
    """Server-side confirmation: the buyer's browser made a payment method with Stripe.js; the
    amount comes from the database. Paid is decided by the webhook, not here."""
    if checkout.status != CheckoutStatus.PENDING_PAYMENT or checkout.payment_method != "stripe":
        raise Conflict(_("Pesanan ini tidak menunggu pembayaran kartu."))
    if (
        not payment_method_id
        or not payment_method_id.startswith(("pm_", "card_", "src_"))
        or len(payment_method_id) > 100
    ):
        raise ValidationFailed(_("Data kartu tidak lengkap."), {"payment_method": [_("Data kartu tidak lengkap.")]})
    payment = payment_of(checkout)
    if payment.provider_ref:
        try:
            current = gateway.retrieve_intent(payment.provider_ref)
        except GatewayError:
            current = None
        if current and current.status in ("succeeded", "processing"):
            return current
        if current and current.status not in ("canceled",):
            abandon(current)
    try:
        intent = gateway.create_intent(checkout.total_idr, checkout.access_key, payment_method_id)
    except CardDeclined as exc:
        raise ValidationFailed(_("Kartu ditolak: %(m)s", m=exc.message), {"card": [exc.message]}) from None
    except GatewayError:
        raise Conflict(_("Pembayaran kartu sedang tidak tersedia. Coba lagi nanti.")) from None
    payment.provider_ref, payment.client_secret = intent.id, intent.client_secret
    payment.status = "processing" if intent.status in ("succeeded", "processing") else "pending"
    db.session.commit()
    return intent


def handle_webhook(payload: bytes, signature: str) -> str:
    """Verify, then apply once: the event id is stored with its effect in one transaction."""
    event = gateway.parse_webhook(payload, signature)  # ValueError on a bad signature
    if db.session.get(StripeEvent, event.id) is not None:
        return "duplicate"
    result = "ignored"
    intent = event.intent
    payment = None
    if intent is not None:
        payment = db.session.scalar(select(Payment).where(Payment.provider_ref == intent.id))
    db.session.add(StripeEvent(id=event.id, type=event.type))
    if payment is not None and event.type == "payment_intent.succeeded":
        assert intent is not None  # the payment was found by its intent's id
        checkout = payment.checkout
        if intent.amount_idr != checkout.total_idr or intent.reference != checkout.access_key:
            log.error("PaymentIntent %s does not match checkout %s", intent.id, checkout.id)
        elif payment.status != "succeeded":
            payment.status, payment.succeeded_at = "succeeded", utcnow()
            result = "paid"
    elif payment is not None and event.type == "payment_intent.payment_failed" and payment.status != "succeeded":
        payment.status = "failed"
        result = "failed"
    try:
        db.session.flush()
    except IntegrityError:  # the same event, handled at this moment by another worker
        db.session.rollback()
        return "duplicate"
    if result == "paid":
        assert payment is not None and intent is not None  # "paid" comes only from a payment found by its intent
        moves.mark_paid(payment.checkout, note="stripe " + intent.id)  # commits
    else:
        db.session.commit()
    return result


def refund_order(order) -> None:
    payment = payment_of(order.checkout)
    if payment.method != "stripe" or payment.status != "succeeded" or not payment.provider_ref:
        return  # a bank transfer is returned by hand; the order stays cancelled until then
    try:
        gateway.refund(payment.provider_ref, order.total_idr)
    except GatewayError:
        log.exception("refund of order %s failed; it stays cancelled for a retry", order.id)
        return
    payment.refunded_idr += order.total_idr
    moves.move(order, OrderStatus.REFUNDED, None, "stripe refund")
    db.session.commit()


def refund_part(order, amount_idr: int, key: str) -> str:
    """Part (or all) of a card-paid order back to the card (a complaint's refund), once per key."""
    payment = payment_of(order.checkout)
    if payment.status != "succeeded" or not payment.provider_ref:
        raise gateway_registry.RefundFailed("the card payment has not succeeded")
    try:
        reference = gateway.refund(payment.provider_ref, amount_idr, key)
    except GatewayError as exc:
        raise gateway_registry.RefundFailed(str(exc)) from None
    payment.refunded_idr += amount_idr
    return reference


def refund_checkout(checkout: Checkout) -> None:
    payment = payment_of(checkout)
    if payment.method == "stripe" and payment.provider_ref:
        try:
            gateway.refund(payment.provider_ref, checkout.total_idr)
            payment.refunded_idr = checkout.total_idr
        except GatewayError:
            log.exception("refund of checkout %s failed", checkout.id)
    db.session.commit()


class Card(gateway_registry.PaymentMethod):
    """Stripe PaymentIntents, paid only by the signed webhook."""

    code = "stripe"
    position = 30

    def label(self, organisation) -> str:
        return _("Kartu kredit/debit")

    def offered_to(self, buyer, organisation) -> bool:
        return bool(current_app.config.get("STRIPE_SECRET_KEY"))  # no card payments without Stripe

    def prepare(self, amount_idr, reference, quote=None):
        return prepare("stripe", amount_idr, reference)

    def abandon(self, prepared) -> None:
        abandon(prepared)

    def record(self, checkout, prepared, organisation) -> None:
        record(checkout, prepared)

    def refund_order(self, order) -> None:
        refund_order(order)

    def refund_checkout(self, checkout) -> None:
        refund_checkout(checkout)

    def refunds_through_provider(self, order) -> bool:
        return True

    def refund_part(self, order, amount_idr: int, key: str) -> str:
        return refund_part(order, amount_idr, key)

    def money_reached(self, checkout):
        return "stripe", f"stripe:{payment_of(checkout).provider_ref}"

    def money_kind(self, order):
        return literal(gateway_registry.SEEN_BY_PLATFORM)  # paid only on Stripe's signed word


def register_method() -> None:
    gateway_registry.register(Card())
