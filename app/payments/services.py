"""Payments of checkouts: card through the Stripe adapter (paid only on its signed webhook), bank
transfer (proof uploaded, confirmed by the group or an admin), reconciliation."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, exists, literal, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import images, jobs, validate
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.storage import replace_and_commit
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Membership
from app.orders import notify
from app.orders import services as orders
from app.orders import status as moves
from app.orders import ways_to_pay as gateway_registry
from app.orders.models import Checkout, CheckoutStatus, OrderStatus

from . import midtrans, midtrans_gateway
from . import stripe_gateway as gateway
from .models import Payment, StripeEvent
from .providers import CardDeclined, GatewayError, Intent

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
    db.session.add(payment)
    return payment


def payment_of(checkout: Checkout) -> Payment:
    payment = db.session.scalar(select(Payment).where(Payment.checkout_id == checkout.id))
    if payment is None:
        raise NotFound()
    return payment


# ------------------------------------------------------------------ card


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


# ------------------------------------------------------------------ refunds


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


def refund_checkout(checkout: Checkout) -> None:
    payment = payment_of(checkout)
    if payment.method == "stripe" and payment.provider_ref:
        try:
            gateway.refund(payment.provider_ref, checkout.total_idr)
            payment.refunded_idr = checkout.total_idr
        except GatewayError:
            log.exception("refund of checkout %s failed", checkout.id)
    db.session.commit()


# ------------------------------------------------------------------ bank transfer


def upload_proof(checkout: Checkout, raw: bytes) -> Payment:
    payment = payment_of(checkout)
    if checkout.status != CheckoutStatus.PENDING_PAYMENT or payment.method != "bank_transfer":
        raise Conflict(_("Pesanan ini tidak menunggu bukti transfer."))
    cfg = current_app.config
    try:
        result = images.process(
            raw, widths=(1280,), max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_DOCUMENT_PIXELS"]
        )
    except images.ImageRejected as exc:
        message = images.rejection_message(exc.code)
        raise ValidationFailed(message, {"file": [message]}) from None

    def assign(key: str) -> None:
        payment.proof_key, payment.proof_uploaded_at, payment.proof_refused_reason = key, utcnow(), None

    replace_and_commit("proofs", result.variants[-1].data, payment.proof_key, assign, db.session)

    notify.proof_uploaded(checkout, payment.payee_group_id)
    return payment


def _transfer_for_payee(actor: User, checkout_id: int) -> tuple[Checkout, Payment]:
    """A bank-transfer checkout, for the group it is paid to (its members) or an admin."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    payment = payment_of(checkout)
    allowed = actor.is_admin or (payment.payee_group_id is not None and orders.is_member(actor, payment.payee_group_id))
    if not allowed or payment.method != "bank_transfer":
        raise NotFound(_("Pesanan tidak ditemukan."))
    return checkout, payment


def refuse_transfer(actor: User, checkout_id: int, reason: str | None) -> Checkout:
    """The money is not there (or the proof is unreadable): the buyer is told why and may send a new proof."""
    checkout, payment = _transfer_for_payee(actor, checkout_id)
    if checkout.status != CheckoutStatus.PENDING_PAYMENT or not payment.proof_waiting:
        raise Conflict(_("Tidak ada bukti transfer yang menunggu konfirmasi."))
    errors: dict[str, list[str]] = {}
    refused_reason = validate.text(reason, errors, "reason", max_len=500, min_len=3)
    if errors or refused_reason is None:  # no reason has been collected as an error
        raise ValidationFailed(_("Tulis alasannya untuk pembeli."), errors)
    payment.proof_refused_reason = refused_reason
    db.session.commit()

    notify.transfer_refused(checkout, refused_reason)
    return checkout


def confirm_transfer(actor: User, checkout_id: int) -> Checkout:
    checkout, payment = _transfer_for_payee(actor, checkout_id)
    if checkout.status == CheckoutStatus.PAID:
        raise Conflict(_("Pembayaran ini sudah dikonfirmasi."))
    confirm_by_hand(payment, checkout, actor, "bank transfer confirmed")
    return checkout


def confirm_by_hand(payment: Payment, checkout: Checkout, actor: User, note: str) -> None:
    """Someone saw the money (a transfer in the account, cash at the stand): the payment and its orders are paid."""
    payment.status, payment.succeeded_at, payment.confirmed_by_id = "succeeded", utcnow(), actor.id
    moves.mark_paid(checkout, actor, note=note)


def proof_for(actor: User | None, checkout: Checkout) -> str:
    """The key of a checkout's transfer proof, for the paying buyer (signed in, or holding the
    checkout's link), the payee group's members and admins; anyone else gets 404."""
    payment = payment_of(checkout)
    allowed = (
        actor is None
        or actor.is_admin
        or checkout.user_id == actor.id
        or (payment.payee_group_id is not None and orders.is_member(actor, payment.payee_group_id))
    )
    if not allowed or not payment.proof_key:
        raise NotFound(_("Bukti transfer tidak ditemukan."))
    return payment.proof_key


def proof_for_payee(actor: User, checkout_id: int) -> str:
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None:
        raise NotFound(_("Bukti transfer tidak ditemukan."))
    return proof_for(actor, checkout)


def payments_of_orders(rows) -> dict[int, Payment]:
    """The payment of each order's checkout, in one query (checkout id -> payment)."""
    ids = {o.checkout_id for o in rows}
    if not ids:
        return {}
    return {p.checkout_id: p for p in db.session.scalars(select(Payment).where(Payment.checkout_id.in_(ids)))}


def transfers_to_confirm(actor: User) -> list[Checkout]:
    stmt = (
        select(Checkout)
        .join(Payment, Payment.checkout_id == Checkout.id)
        .where(
            Payment.method == "bank_transfer",
            Checkout.status == CheckoutStatus.PENDING_PAYMENT,
            Payment.proof_key.is_not(None),
            Payment.proof_refused_reason.is_(None),
        )
    )
    if not actor.is_admin:
        stmt = stmt.join(Membership, Membership.group_id == Payment.payee_group_id).where(
            Membership.user_id == actor.id
        )
    return list(db.session.scalars(stmt.order_by(Checkout.id)))


# ------------------------------------------------------------------ the adapters checkout uses


class BankTransfer(gateway_registry.PaymentMethod):
    """To the group's own account (a checkout for one group that has one) or the platform's; the
    buyer uploads a proof and the payee confirms."""

    code = "bank_transfer"
    position = 20

    def label(self, organisation) -> str:
        return _("Transfer bank")

    def record(self, checkout, prepared, organisation) -> None:
        record(checkout, None)

    def money_kind(self, order):
        """To the platform's account (only an admin confirms it): the platform saw it. To the group's own
        account: only the group can see it arrive, whoever clicked "confirmed"."""
        to_platform = exists().where(Payment.checkout_id == order.checkout_id, Payment.payee_group_id.is_(None))
        return case(
            (to_platform, literal(gateway_registry.SEEN_BY_PLATFORM)), else_=literal(gateway_registry.GROUP_SAYS)
        )


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

    def money_kind(self, order):
        return literal(gateway_registry.SEEN_BY_PLATFORM)  # paid only on Stripe's signed word


def register_methods() -> None:
    gateway_registry.register(BankTransfer())
    gateway_registry.register(Card())
