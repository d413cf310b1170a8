"""Bank transfers: to the group's own account or the platform's; the buyer uploads a proof, the payee
group (its members) or an admin confirms the money arrived or refuses the proof with a reason."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, exists, literal, select

from app.accounts.models import User
from app.core import images, validate
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.storage import replace_and_commit
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Membership
from app.orders import notify
from app.orders import services as orders
from app.orders import ways_to_pay as gateway_registry
from app.orders.models import Checkout, CheckoutStatus

from .models import Payment
from .services import confirm_by_hand, payment_of, record


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


class BankTransfer(gateway_registry.PaymentMethod):
    """To the group's own account (a checkout for one group that has one) or the platform's; the
    buyer uploads a proof and the payee confirms."""

    code = "bank_transfer"
    position = 20

    def label(self, organisation) -> str:
        return _("Transfer bank")

    def record(self, checkout, prepared, organisation) -> None:
        record(checkout, None)

    def money_reached(self, checkout):
        """To the platform's account: the platform's bank collected it; to the group's own: the group did."""
        to_group = payment_of(checkout).payee_group_id is not None
        return (None if to_group else "bank"), f"transfer:checkout:{checkout.id}"

    def money_kind(self, order):
        """To the platform's account (only an admin confirms it): the platform saw it. To the group's own
        account: only the group can see it arrive, whoever clicked "confirmed"."""
        to_platform = exists().where(Payment.checkout_id == order.checkout_id, Payment.payee_group_id.is_(None))
        return case(
            (to_platform, literal(gateway_registry.SEEN_BY_PLATFORM)), else_=literal(gateway_registry.GROUP_SAYS)
        )


def register_method() -> None:
    gateway_registry.register(BankTransfer())
