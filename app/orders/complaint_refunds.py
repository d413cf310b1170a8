"""A complaint's refund: taken from the group's money in the ledger (in the transaction that resolves the
complaint), then sent back the way the buyer paid: through the provider that took it (a card through
Stripe, QRIS and e-wallets through Midtrans: ways_to_pay plug-ins), or, for a bank transfer or a virtual
account, transferred by hand by an admin to the bank account the buyer gives. A refund the provider
refused is tried again by an admin; the provider's idempotency key (the complaint's) refunds it once."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.ledger import postings

from . import complaint_notify as notify
from . import ways_to_pay
from .complaint_models import Complaint, ComplaintMessage, RefundState

log = logging.getLogger(__name__)


def key_of(complaint: Complaint) -> str:
    """The refund's key at the provider and in the ledger (letters, digits and dashes: Midtrans's refund_key)."""
    return f"complaint-{complaint.id}"


def start(complaint: Complaint, amount_idr: int) -> None:
    """Inside the resolving transaction: the amount is owed to the buyer and comes off the group's money."""
    order = complaint.order
    complaint.refund_idr = amount_idr
    method = ways_to_pay.method(order.checkout.payment_method)
    by_provider = method is not None and method.refunds_through_provider(order)
    complaint.refund_state = RefundState.SENDING if by_provider else RefundState.BY_HAND
    postings.order_part_refunded(
        group_id=order.group_id,
        order_id=order.id,
        amount_idr=amount_idr,
        key=f"refund:{key_of(complaint)}",
        source=f"complaint:{complaint.id}",
        number=order.number,
    )


def send(complaint: Complaint) -> None:
    """After the commit: the provider gives the money back (once per key). A failure is kept for an admin,
    who tries again. Commits."""
    if complaint.refund_state not in (RefundState.SENDING, RefundState.FAILED) or not complaint.refund_idr:
        return
    order = complaint.order
    method = ways_to_pay.method_of(order.checkout.payment_method)
    try:
        reference = method.refund_part(order, complaint.refund_idr, key_of(complaint))
    except ways_to_pay.RefundFailed as exc:
        db.session.rollback()
        log.warning("refund of complaint %s failed: %s", complaint.id, exc)
        complaint.refund_state = RefundState.FAILED
        complaint.messages.append(ComplaintMessage(role="system", action="refund_failed", body=str(exc)[:500]))
        db.session.commit()
        notify.refund_failed(complaint)
        return
    complaint.refund_state, complaint.refund_reference = RefundState.SENT, (reference or "")[:120]
    complaint.messages.append(
        ComplaintMessage(role="system", action="refunded", amount_idr=complaint.refund_idr, body=reference or None)
    )
    db.session.commit()


def _for_admin(admin: User, complaint_id: int) -> Complaint:
    if not admin.is_admin:
        raise Forbidden(_("Hanya admin yang mengurus pengembalian dana."))
    complaint = db.session.get(Complaint, complaint_id, with_for_update=True)
    if complaint is None:
        raise NotFound(_("Komplain tidak ditemukan."))
    return complaint


def retry(admin: User, complaint_id: int) -> Complaint:
    complaint = _for_admin(admin, complaint_id)
    if complaint.refund_state != RefundState.FAILED:
        raise Conflict(_("Pengembalian dana ini tidak gagal."))
    send(complaint)
    return complaint


def paid_by_hand(admin: User, complaint_id: int, reference) -> Complaint:
    """An admin transferred a refund to the buyer's bank account: the bank's reference is recorded."""
    complaint = _for_admin(admin, complaint_id)
    if complaint.refund_state != RefundState.BY_HAND:
        raise Conflict(_("Pengembalian dana ini tidak menunggu transfer manual."))
    errors: dict[str, list[str]] = {}
    ref = validate.text(reference, errors, "reference", max_len=120, min_len=3)
    if errors:
        raise ValidationFailed(_("Tulis nomor referensi transfer dari bank."), errors)
    complaint.refund_state, complaint.refund_reference = RefundState.PAID, ref
    complaint.messages.append(
        ComplaintMessage(author_id=admin.id, role="admin", action="refunded", amount_idr=complaint.refund_idr, body=ref)
    )
    db.session.commit()
    notify.refunded_by_hand(complaint)
    return complaint


def to_make_by_hand() -> list[Complaint]:
    """Refunds waiting for an admin: to transfer by hand, or refused by the provider (oldest first)."""
    return list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.refund_state.in_((RefundState.BY_HAND, RefundState.FAILED)))
            .order_by(Complaint.resolved_at)
        )
    )
