"""Payments of checkouts, whatever the method: the payment row written with its checkout, found again,
and confirmed by someone who saw the money. Card payments are in cards.py, bank transfers and their
proofs in transfers.py, the jobs that settle and expire unpaid checkouts in reconcile.py."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import NotFound
from app.core.types import utcnow
from app.extensions import db
from app.orders import status as moves
from app.orders.models import Checkout

from . import transfer_codes
from .models import Payment
from .providers import Intent


def record(checkout: Checkout, intent: Intent | None) -> Payment:
    """The payment row, in the checkout's transaction."""
    payment = Payment(checkout_id=checkout.id, method=checkout.payment_method, amount_idr=checkout.total_idr)
    if intent is not None:
        payment.provider_ref, payment.client_secret = intent.id, intent.client_secret
    if checkout.payment_method == "bank_transfer":
        groups = {o.group_id: o.group for o in checkout.orders}
        only = next(iter(groups.values())) if len(groups) == 1 else None
        if only is not None and only.payout_account_number:
            payment.payee_group_id = only.id
            payment.bank_name, payment.bank_account_number = only.payout_bank, only.payout_account_number
            payment.bank_account_name = only.payout_account_name
        else:
            cfg = current_app.config
            payment.bank_name, payment.bank_account_number = cfg["PLATFORM_BANK_NAME"], cfg["PLATFORM_BANK_ACCOUNT"]
            payment.bank_account_name = cfg["PLATFORM_BANK_ACCOUNT_NAME"]
        transfer_codes.give_code(payment)  # adds it to the session
    db.session.add(payment)
    return payment


def payment_of(checkout: Checkout) -> Payment:
    payment = db.session.scalar(select(Payment).where(Payment.checkout_id == checkout.id))
    if payment is None:
        raise NotFound()
    return payment


def confirm_by_hand(payment: Payment, checkout: Checkout, actor: User, note: str) -> None:
    """Someone saw the money (a transfer in the account, cash at the stand): the payment and its orders are paid."""
    payment.status, payment.succeeded_at, payment.confirmed_by_id = "succeeded", utcnow(), actor.id
    moves.mark_paid(checkout, actor, note=note)


def payments_of_orders(rows) -> dict[int, Payment]:
    """The payment of each order's checkout, in one query (checkout id -> payment)."""
    ids = {o.checkout_id for o in rows}
    if not ids:
        return {}
    return {p.checkout_id: p for p in db.session.scalars(select(Payment).where(Payment.checkout_id.in_(ids)))}
