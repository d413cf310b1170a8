"""What the providers say they settled, for the ledger's daily reconciliation (app/ledger/reconcile.py):
Stripe from its balance transactions (what it charged and refunded, per PaymentIntent) and, for a payment
the ledger has that is not among them, the PaymentIntent itself; Midtrans from its status call for each of
our Midtrans payments of the days compared (its API lists no transactions). The bank's side is the
statement an admin uploads; from here it learns each transfer's code (bank.register_codes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.ledger import bank
from app.ledger.reconcile import Settled, register_source
from app.orders.models import Checkout

from . import midtrans_gateway
from . import stripe_gateway as gateway
from .midtrans import CODES as MIDTRANS_CODES
from .models import Payment

STRIPE, MIDTRANS = "stripe:", "midtrans:"


def stripe_settled(since: datetime, refs: set[str]) -> list[Settled] | None:
    if not gateway.configured():
        return None
    found: dict[str, Settled] = {}
    for intent, (charged, refunded) in gateway.settled_since(int(since.timestamp())).items():
        if charged > 0:  # a refund of a charge made before `since` is read from the PaymentIntent below
            found[STRIPE + intent] = Settled(STRIPE + intent, charged, refunded, status="succeeded")
    for ref in sorted(refs - found.keys()):
        if not ref.startswith(STRIPE):
            continue
        money = gateway.intent_money(ref.removeprefix(STRIPE))
        if money is None:
            found[ref] = Settled(ref, 0, known=False)
        else:
            status, received, refunded = money
            found[ref] = Settled(ref, received if status == "succeeded" else 0, refunded, status=status)
    return list(found.values())


def _midtrans_ref(payment: Payment, checkout: Checkout) -> str:
    """The ledger's source of a Midtrans payment (payments.midtrans.Midtrans.money_reached)."""
    return MIDTRANS + ((payment.provider_data or {}).get("transaction_id") or checkout.access_key)


def _settled(ref: str, status: midtrans_gateway.Status | None) -> Settled:
    if status is None:
        return Settled(ref, 0, known=False)
    paid = status.transaction_status in (*midtrans_gateway.PAID, "refund", "partial_refund")
    collected = status.gross_amount_idr if paid else 0
    return Settled(ref, collected, status.refunded_idr if paid else None, status=status.transaction_status)


def midtrans_settled(since: datetime, refs: set[str]) -> list[Settled] | None:
    """Each of our Midtrans payments made since a day before `since` (a charge lives a day at most), and
    each reference the ledger has: Midtrans's status of it."""
    if not midtrans_gateway.configured():
        return None
    keys = {ref.removeprefix(MIDTRANS) for ref in refs if ref.startswith(MIDTRANS)}
    rows = db.session.execute(
        select(Payment, Checkout)
        .join(Checkout, Checkout.id == Payment.checkout_id)
        .where(
            Payment.method.in_(MIDTRANS_CODES),
            Payment.provider_ref.is_not(None),
            db.or_(Payment.created_at >= since - timedelta(days=1), Checkout.access_key.in_(sorted(keys))),
        )
    ).all()
    found: dict[str, Settled] = {}
    for payment, checkout in rows:
        ref = _midtrans_ref(payment, checkout)
        found[ref] = _settled(ref, midtrans_gateway.status_or_none(payment.provider_ref or ""))
    for ref in sorted(refs - found.keys()):
        if ref.startswith(MIDTRANS):  # Midtrans answers a status call by its transaction id too
            found[ref] = _settled(ref, midtrans_gateway.status_or_none(ref.removeprefix(MIDTRANS)))
    return list(found.values())


def transfer_codes(sources: set[str]) -> dict[str, str]:
    """The transfer code of each transfer the ledger has (source transfer:checkout:<id>)."""
    ids = {int(s.rsplit(":", 1)[1]) for s in sources if s.startswith("transfer:checkout:") and s[18:].isdigit()}
    if not ids:
        return {}
    return {
        f"transfer:checkout:{checkout_id}": code
        for checkout_id, code in db.session.execute(
            select(Payment.checkout_id, Payment.transfer_code).where(
                Payment.checkout_id.in_(sorted(ids)), Payment.transfer_code.is_not(None)
            )
        )
    }


def register() -> None:
    register_source("stripe", stripe_settled)
    register_source("midtrans", midtrans_settled)
    if transfer_codes not in bank.CODES:
        bank.register_codes(transfer_codes)
