"""The jobs that settle unpaid checkouts: reconciliation against Stripe and Midtrans (lost webhooks and
notifications, closed browsers), and expiry of checkouts past their deadline."""

from __future__ import annotations

from sqlalchemy import select

from app.core import jobs
from app.core.types import utcnow
from app.extensions import db
from app.orders import status as moves
from app.orders.models import Checkout, CheckoutStatus

from . import midtrans, midtrans_gateway
from . import stripe_gateway as gateway
from .cards import abandon
from .models import Payment
from .providers import GatewayError
from .services import payment_of


@jobs.task("payments.reconcile", every=900)
def reconcile() -> dict[str, int]:
    """Settle every unpaid card checkout against Stripe, and every Midtrans one against Midtrans (lost
    webhooks and notifications, closed browsers)."""

    summary = {"paid": 0, "expired": 0, "unchanged": 0, "errors": 0}
    if midtrans_gateway.configured():
        for key, n in midtrans.reconcile().items():
            summary[key] += n
    rows = db.session.scalars(
        select(Payment)
        .join(Checkout, Checkout.id == Payment.checkout_id)
        .where(
            Payment.method == "stripe",
            Payment.provider_ref.is_not(None),
            Checkout.status.in_((CheckoutStatus.PENDING_PAYMENT, CheckoutStatus.EXPIRED)),
            Payment.status != "succeeded",
        )
    ).all()
    for payment in rows:
        checkout = payment.checkout
        assert payment.provider_ref is not None  # the query asks for one
        try:
            intent = gateway.retrieve_intent(payment.provider_ref)
        except GatewayError:
            summary["errors"] += 1
            continue
        if intent.status == "succeeded" and intent.amount_idr == checkout.total_idr:
            payment.status, payment.succeeded_at = "succeeded", utcnow()
            if moves.mark_paid(checkout, note="reconciled " + intent.id):
                summary["paid"] += 1
            continue
        if checkout.status == CheckoutStatus.PENDING_PAYMENT and checkout.expires_at < utcnow():
            abandon(intent)
            moves.expire(checkout)
            summary["expired"] += 1
        else:
            summary["unchanged"] += 1
    db.session.commit()
    return summary


@jobs.task("orders.expire", every=300)
def expire_unpaid() -> dict[str, int]:
    """Checkouts past their deadline: paid ones found at Stripe or Midtrans are kept, the rest give their
    stock back."""

    summary = {"expired": 0, "paid": 0}
    for checkout in moves.due_for_expiry():
        payment = payment_of(checkout)
        if payment.method in midtrans.CODES:
            effect = midtrans.expire_one(payment, checkout)
            if effect in summary:
                summary[effect] += 1
            continue
        if payment.method == "stripe" and payment.provider_ref:
            try:
                intent = gateway.retrieve_intent(payment.provider_ref)
            except GatewayError:
                continue  # try again next run rather than expire a payment we cannot see
            if intent.status in ("succeeded", "processing"):
                if intent.status == "succeeded":
                    payment.status, payment.succeeded_at = "succeeded", utcnow()
                    moves.mark_paid(checkout, note="found paid at expiry")
                    summary["paid"] += 1
                continue
            abandon(intent)
        moves.expire(checkout)
        summary["expired"] += 1
    return summary
