"""Complaints ("komplain"): the buyer complains about an order that was shipped, delivered or completed
shortly before; the group answers (a refund, part of one, a replacement, or a refusal with its reason);
the buyer accepts or escalates; an admin decides escalated ones. The refund a complaint ends with is in
complaint_refunds.py, the deadlines in complaint_jobs.py. Each step is a message, and an e-mail."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles

from . import complaint_notify as notify
from . import complaint_refunds as refunds
from . import return_rules, ways_to_pay
from .complaint_models import REASONS, RESOLUTIONS, UNRESOLVED, Complaint, ComplaintMessage, ComplaintStatus
from .models import Order, OrderStatus
from .services import Buyer, as_buyer, is_member, order_for_buyer

OPEN_WHILE = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
REFUNDS = ("refund", "partial_refund")


# ------------------------------------------------------------------ who sees a complaint


def complaint_for(actor: User | Buyer, complaint_id: int) -> tuple[Complaint, str]:
    """A complaint and who `actor` is to it: its buyer, the order's group, or an admin; anyone else 404.
    Through a checkout's link (a Buyer with its checkout) only that checkout's complaints, as their buyer."""
    complaint = db.session.get(Complaint, complaint_id)
    if isinstance(actor, Buyer):
        if actor.checkout is not None:
            if complaint is not None and complaint.order.checkout_id == actor.checkout.id:
                return complaint, "buyer"
            raise NotFound(_("Komplain tidak ditemukan."))
        if actor.user is None:
            raise NotFound(_("Komplain tidak ditemukan."))
        actor = actor.user
    if complaint is not None:
        order = complaint.order
        if actor.is_admin:
            return complaint, "admin"
        if complaint.user_id == actor.id:
            return complaint, "buyer"
        if is_member(actor, order.group_id):
            return complaint, "group"
        try:
            order_for_buyer(actor, order.id)  # a business buyer's colleague
            return complaint, "buyer"
        except NotFound:
            pass
    raise NotFound(_("Komplain tidak ditemukan."))


def _as(actor: User | Buyer, complaint_id: int, *allowed: str, lock: bool = False) -> Complaint:
    complaint, who = complaint_for(actor, complaint_id)
    if who not in allowed:
        raise Forbidden(_("Langkah ini bukan untuk Anda."))
    if lock:
        db.session.refresh(complaint, with_for_update=True)
    return complaint


# ------------------------------------------------------------------ the rules pages read


def completed_at(order: Order) -> datetime | None:
    moments = [e.created_at for e in order.events if e.to_status == OrderStatus.COMPLETED]
    return max(moments) if moments else None


def in_window(order: Order, now: datetime | None = None) -> bool:
    """Whether the order may be complained about now: shipped or delivered, or completed less than
    COMPLAINT_DAYS ago."""
    if order.status in OPEN_WHILE:
        return True
    done = completed_at(order) if order.status == OrderStatus.COMPLETED else None
    days = current_app.config["COMPLAINT_DAYS"]
    return done is not None and (now or utcnow()) - done < timedelta(days=days)


def pending_of(order_id: int) -> Complaint | None:
    return db.session.scalar(
        select(Complaint).where(Complaint.order_id == order_id, Complaint.status.in_(UNRESOLVED)).limit(1)
    )


def latest_of(order: Order) -> Complaint | None:
    """The order's complaint to show: the one not resolved, else the last one."""
    return db.session.scalar(
        select(Complaint).where(Complaint.order_id == order.id).order_by(Complaint.id.desc()).limit(1)
    )


def latest_for(order_ids: list[int]) -> dict[int, Complaint]:
    """latest_of for a page of orders, in one query: order id -> its complaint to show."""
    if not order_ids:
        return {}
    rows = db.session.scalars(select(Complaint).where(Complaint.order_id.in_(order_ids)).order_by(Complaint.id))
    return {c.order_id: c for c in rows}  # the last one of each order wins


def may_complain(order: Order) -> bool:
    """The buyer's "Ajukan komplain" is offered: in the window, and no complaint waiting already."""
    return in_window(order) and pending_of(order.id) is None


def refundable(order: Order, but: int | None = None) -> int:
    """What may still be given back: the order's total less what complaints refunded (`but` one)."""
    done = db.session.scalar(
        select(func.coalesce(func.sum(Complaint.refund_idr), 0)).where(
            Complaint.order_id == order.id, Complaint.id != (but or 0)
        )
    )
    return order.total_idr - int(done or 0)


def refund_by_hand(order: Order) -> bool:
    """Whether a refund of this order is transferred by hand to the buyer's bank account (a transfer, a
    virtual account, an invoice) rather than given back through the provider that took it."""
    method = ways_to_pay.method(order.checkout.payment_method)
    return method is None or not method.refunds_through_provider(order)


# ------------------------------------------------------------------ the buyer opens one


def open_complaint(buyer: User | Buyer, order_id: int, reason, description, quantity=None) -> Complaint:
    """The buyer complains: signed in, or a guest through her checkout's link (services.Buyer)."""
    who = as_buyer(buyer)
    order = order_for_buyer(who, order_id)
    errors: dict[str, list[str]] = {}
    if reason not in REASONS:
        validate.collect(errors, "reason", _("Pilih alasan komplain."))
    text = validate.text(description, errors, "description", max_len=2000, min_len=5)
    units = sum(line.quantity for line in order.lines)
    qty = validate.integer(quantity, errors, "quantity", low=1, high=max(units, 1), required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    db.session.refresh(order, with_for_update=True)  # two requests at once: one complaint
    if not in_window(order):
        raise Conflict(
            _(
                "Pesanan ini tidak bisa dikomplain lagi: hanya saat dikirim, sampai, atau %(d)s hari setelah selesai.",
                d=current_app.config["COMPLAINT_DAYS"],
            )
        )
    if pending_of(order.id) is not None:
        raise Conflict(_("Pesanan ini sudah punya komplain yang belum selesai."))
    complaint = Complaint(
        order_id=order.id, user_id=who.user_id, reason=reason, description=text or "", quantity=qty, status="open"
    )
    complaint.messages.append(ComplaintMessage(author_id=who.user_id, role="buyer", action="opened", body=text))
    db.session.add(complaint)
    try:
        db.session.commit()
    except IntegrityError:  # another request opened one at this moment
        db.session.rollback()
        raise Conflict(_("Pesanan ini sudah punya komplain yang belum selesai.")) from None
    notify.opened(complaint)
    return complaint


# ------------------------------------------------------------------ answers and decisions


def _answer(complaint: Complaint, resolution, amount_idr, note) -> tuple[str, int | None, str | None]:
    """A resolution checked against the order: a refund is what may still be given back, part of one
    less than that; a refusal says why."""
    errors: dict[str, list[str]] = {}
    if resolution not in RESOLUTIONS:
        validate.collect(errors, "resolution", _("Pilih jawaban."))
    left = refundable(complaint.order, but=complaint.id)
    amount = None
    if resolution == "partial_refund":
        amount = validate.integer(amount_idr, errors, "amount_idr", low=1, high=max(left - 1, 1))
    elif resolution == "refund":
        amount = left
    text = validate.text(note, errors, "note", max_len=1000, required=resolution == "reject", min_len=3)
    if resolution in REFUNDS and left <= 0:
        validate.collect(errors, "resolution", _("Dana pesanan ini sudah dikembalikan seluruhnya."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return str(resolution), amount, text


def respond(actor: User, complaint_id: int, resolution, amount_idr=None, note=None, return_goods=None) -> Complaint:
    """The group answers an open complaint (its chair or treasurer: a refund is the group's money)."""
    complaint = _as(actor, complaint_id, "group", "admin", lock=True)
    roles.require(actor, complaint.order.group_id, roles.ANSWER_COMPLAINT)
    if complaint.status != ComplaintStatus.OPEN:
        raise Conflict(_("Komplain ini sudah dijawab."))
    resolution, amount, text = _answer(complaint, resolution, amount_idr, note)
    complaint.return_goods = return_rules.asked(resolution, return_goods)
    complaint.status, complaint.answered_at = ComplaintStatus.ANSWERED, utcnow()
    complaint.resolution, complaint.amount_idr = resolution, amount
    complaint.messages.append(
        ComplaintMessage(
            author_id=actor.id, role="group", action="answered", resolution=resolution, amount_idr=amount, body=text
        )
    )
    db.session.commit()
    notify.answered(complaint)
    return complaint


def accept(buyer: User | Buyer, complaint_id: int, bank: dict | None = None) -> Complaint:
    """The buyer accepts the group's answer: the complaint is resolved, its refund made."""
    complaint = _as(buyer, complaint_id, "buyer", lock=True)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise Conflict(_("Belum ada jawaban kelompok untuk diterima."))
    _bank_account(complaint, bank, required=False)
    complaint.messages.append(ComplaintMessage(author_id=as_buyer(buyer).user_id, role="buyer", action="accepted"))
    return resolve(complaint, complaint.resolution or "reject", complaint.amount_idr)


def escalate(buyer: User | Buyer, complaint_id: int, note=None) -> Complaint:
    complaint = _as(buyer, complaint_id, "buyer", lock=True)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise Conflict(_("Komplain hanya bisa diteruskan ke admin setelah kelompok menjawab."))
    errors: dict[str, list[str]] = {}
    text = validate.text(note, errors, "note", max_len=1000, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return escalated(complaint, as_buyer(buyer), text)


def escalated(complaint: Complaint, buyer: Buyer | None, text: str | None) -> Complaint:
    """To an admin (the buyer asked, or the group did not answer in time: buyer None). Commits."""
    complaint.status, complaint.escalated_at = ComplaintStatus.ESCALATED, utcnow()
    complaint.messages.append(
        ComplaintMessage(
            author_id=buyer.user_id if buyer else None,
            role="buyer" if buyer else "system",
            action="escalated",
            body=text or (None if buyer else _("Kelompok tidak menjawab dalam batas waktu.")),
        )
    )
    db.session.commit()
    notify.escalated(complaint)
    return complaint


def decide(admin: User, complaint_id: int, resolution, amount_idr=None, note=None, return_goods=None) -> Complaint:
    """An admin decides a complaint not yet resolved (escalated, usually): final."""
    if not admin.is_admin:
        raise Forbidden(_("Hanya admin yang dapat memutuskan komplain."))
    complaint = _as(admin, complaint_id, "admin", lock=True)
    if complaint.status not in UNRESOLVED:
        raise Conflict(_("Komplain ini sudah selesai."))
    resolution, amount, text = _answer(complaint, resolution, amount_idr, note)
    complaint.return_goods = return_rules.asked(resolution, return_goods)
    complaint.messages.append(
        ComplaintMessage(
            author_id=admin.id, role="admin", action="decided", resolution=resolution, amount_idr=amount, body=text
        )
    )
    return resolve(complaint, resolution, amount)


def resolve(complaint: Complaint, resolution: str, amount: int | None) -> Complaint:
    """Resolved with `resolution`; a refund posted in the ledger and sent back the way the buyer paid."""
    complaint.status, complaint.resolved_at = ComplaintStatus.RESOLVED, utcnow()
    complaint.resolution = resolution
    waits = return_rules.open_for(complaint)  # goods asked back: the refund waits for them (returns.arrived)
    if resolution in REFUNDS and amount:
        complaint.amount_idr = amount
        if not waits:
            refunds.start(complaint, amount)  # the ledger, in this transaction
    db.session.commit()
    if complaint.refund_idr:
        refunds.send(complaint)  # the provider, after the commit; commits
    notify.resolved(complaint)
    return complaint


def _bank_account(complaint: Complaint, bank: dict | None, *, required: bool) -> None:
    """Where a refund made by hand goes: bank, account number and name, all three or none."""
    bank = {k: v for k, v in (bank or {}).items() if v not in (None, "")}
    if not bank and not required:
        return
    errors: dict[str, list[str]] = {}
    name = validate.text(bank.get("bank_name"), errors, "bank_name", max_len=60, min_len=2)
    number = validate.text(bank.get("account_number"), errors, "account_number", max_len=40, min_len=5)
    if number and not number.replace(" ", "").replace("-", "").isdigit():
        validate.collect(errors, "account_number", _("Nomor rekening hanya angka."))
    holder = validate.text(bank.get("account_name"), errors, "account_name", max_len=120, min_len=2)
    if errors:
        raise ValidationFailed(_("Periksa rekening bank untuk pengembalian dana."), errors)
    complaint.bank_name, complaint.bank_account_number, complaint.bank_account_name = name, number, holder


def give_bank_account(buyer: User | Buyer, complaint_id: int, bank: dict) -> Complaint:
    """The buyer says where a refund made by hand should go (before or after it was decided)."""
    complaint = _as(buyer, complaint_id, "buyer", lock=True)
    if complaint.refund_state not in (None, "by_hand"):
        raise Conflict(_("Dana komplain ini sudah dikembalikan."))
    _bank_account(complaint, bank, required=True)
    db.session.commit()
    return complaint
