"""Bank transfers: to the group's own account or the platform's; the buyer uploads a proof, the payee
group (its members) or an admin confirms the money arrived or refuses the proof with a reason."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, distinct, exists, func, literal, select

from app.accounts.models import User
from app.core import images, validate
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.storage import replace_and_commit
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.groups.models import Group, Membership
from app.groups.services import group_for_member
from app.orders import notify
from app.orders import services as orders
from app.orders import ways_to_pay as gateway_registry
from app.orders.models import Checkout, CheckoutStatus, Order

from . import transfer_codes
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
    """A bank-transfer checkout, for the group it is paid to (its chair and treasurer: 403 for its other
    members) or an admin."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    payment = payment_of(checkout)
    allowed = actor.is_admin or (payment.payee_group_id is not None and orders.is_member(actor, payment.payee_group_id))
    if not allowed or payment.method != "bank_transfer":
        raise NotFound(_("Pesanan tidak ditemukan."))
    if payment.payee_group_id is not None:
        roles.require(actor, payment.payee_group_id, roles.CONFIRM_TRANSFER)
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


def _proof_waiting():
    """A transfer whose proof the payee has still to check (the checkout joined)."""
    return (
        Payment.method == "bank_transfer",
        Checkout.status == CheckoutStatus.PENDING_PAYMENT,
        Payment.proof_key.is_not(None),
        Payment.proof_refused_reason.is_(None),
    )


def transfers_to_confirm(actor: User) -> list[Checkout]:
    stmt = select(Checkout).join(Payment, Payment.checkout_id == Checkout.id).where(*_proof_waiting())
    if not actor.is_admin:
        stmt = stmt.join(Membership, Membership.group_id == Payment.payee_group_id).where(
            Membership.user_id == actor.id
        )
    return list(db.session.scalars(stmt.order_by(Checkout.id)))


def transfer_to_group_by_code(actor: User, slug: str, text: str | None) -> tuple[Group, Payment | None, list[Order]]:
    """The bank transfer to the group's own account whose code a member typed as she reads it in her bank
    app (any case, with spaces), and the group's orders it pays. Whatever its state: a transfer already
    confirmed or one that arrived after the order lapsed is found too. None: no transfer to this group has
    that code (another group's code, one paid to the platform's account, a mistyped one)."""
    group = group_for_member(actor, slug)
    payment = _by_code(text, Payment.payee_group_id == group.id)
    if payment is None:
        return group, None, []
    return group, payment, [o for o in payment.checkout.orders if o.group_id == group.id]


def transfer_by_code_for_admin(actor: User, text: str | None) -> Checkout | None:
    """The bank transfer with the code an admin typed (the platform's account, or a group's)."""
    if not actor.is_admin:
        raise NotFound(_("Pesanan tidak ditemukan."))
    payment = _by_code(text, Payment.id.is_not(None))
    return payment.checkout if payment is not None else None


def codes_of(checkouts: list[Checkout]) -> dict[int, str | None]:
    """The transfer code of each checkout (checkout id -> code), in one query."""
    ids = [c.id for c in checkouts]
    if not ids:
        return {}
    rows = db.session.execute(select(Payment.checkout_id, Payment.transfer_code).where(Payment.checkout_id.in_(ids)))
    return {checkout_id: code for checkout_id, code in rows}


def _by_code(text: str | None, payee) -> Payment | None:
    code = transfer_codes.typed(text)
    if not transfer_codes.looks_like_a_code(code):
        return None
    return db.session.scalar(
        select(Payment).where(Payment.transfer_code == code, Payment.method == "bank_transfer", payee)
    )


def proofs_to_check(group_id: int) -> tuple[int, int | None]:
    """How many transfers to the group's own account have a proof for the group to check, and the first
    one's order (a transfer to the platform's account is the admin's to check)."""
    count, first = db.session.execute(
        select(func.count(distinct(Payment.id)), func.min(Order.id))
        .join(Checkout, Checkout.id == Payment.checkout_id)
        .join(Order, (Order.checkout_id == Checkout.id) & (Order.group_id == group_id))
        .where(Payment.payee_group_id == group_id, *_proof_waiting())
    ).one()
    return count, first


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
