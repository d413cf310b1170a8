"""Payouts: the chair or the treasurer asks for the group's available money to be sent to its bank account;
an admin approves (never the one who asked, where the platform has two admins); Midtrans Payouts (Iris)
sends it when configured (app/ledger/payouts_iris.py), otherwise the admin transfers it from the platform's
bank and records the bank's reference. Statuses: requested → approved → sent | failed.

Asking moves the money out of available at once (postings.payout_requested), read and posted under the
lock of book.available_for_update: two requests at once (two phones, a double tap, two servers) wait for
each other, and the second sees what the first left. A failed payout gives the money back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, select, update

from app.accounts.models import User
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.money import format_rupiah
from app.core.types import utcnow
from app.core.validate import integer, text
from app.extensions import db
from app.groups import contact, roles
from app.groups.models import Group
from app.groups.services import group_for

from . import book, postings
from .labels import PAYOUT_STATUS_LABELS
from .models import Payout, PayoutStatus

OPEN = (PayoutStatus.REQUESTED, PayoutStatus.APPROVED)  # the admin's queue
MAX_AMOUNT = 10**13


def _state(payout: Payout) -> str:
    return str(PAYOUT_STATUS_LABELS[payout.status]).lower()


def has_bank_account(group: Group) -> bool:
    return bool(group.payout_bank and group.payout_account_number and group.payout_account_name)


def _amount(raw, errors: dict) -> int | None:
    """Whole rupiah; a form's "250.000" (Indonesian thousands) or "Rp 250.000" is read as 250000."""
    if isinstance(raw, str):
        raw = raw.replace("Rp", "").replace(".", "").replace(" ", "").strip()
    return integer(raw, errors, "amount_idr", low=current_app.config["PAYOUT_MIN_IDR"], high=MAX_AMOUNT)


def request_payout(actor: User, slug: str, amount) -> Payout:
    """Ask for `amount` of the group's available money to be sent to its bank account (roles.PAYOUT: the chair,
    the treasurer). 422: not a whole amount, below PAYOUT_MIN_IDR, or no bank account; 409: more than the
    group has available (its available money is read under a lock: the same money is never asked twice)."""
    group = group_for(actor, slug, roles.PAYOUT)
    errors: dict[str, list[str]] = {}
    value = _amount(amount, errors)
    if not has_bank_account(group):
        collect(errors, "bank", _("Kelompok belum punya rekening bank. Isi rekening kelompok dulu."))
    if errors or value is None:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    available = book.available_for_update(group.id)
    if value > available:
        db.session.rollback()  # the lock ends here
        raise Conflict(
            _("Dana yang bisa dicairkan hanya %(a)s.", a="Rp " + f"{max(available, 0):,}".replace(",", ".")),
            {"amount_idr": [_("Lebih dari dana yang bisa dicairkan.")]},
        )
    payout = write_request(group, value, actor.id)
    db.session.commit()
    return payout


def write_request(group: Group, value: int, requested_by_id: int | None) -> Payout:
    """The payout row and its posting (available -> in transit), in the caller's transaction, which holds the
    lock of available_for_update and has checked `value` against it. None asked it: the weekly payout."""
    assert group.payout_bank and group.payout_account_number and group.payout_account_name
    payout = Payout(
        group_id=group.id,
        amount_idr=value,
        bank_name=group.payout_bank,
        account_number=group.payout_account_number,
        account_name=group.payout_account_name,
        status=PayoutStatus.REQUESTED,
        requested_by_id=requested_by_id,
        requested_at=utcnow(),
    )
    db.session.add(payout)
    db.session.flush()
    postings.payout_requested(group_id=group.id, payout_id=payout.id, amount_idr=value)
    return payout


def payouts_of_group(actor: User, slug: str, offset: int, limit: int) -> tuple[Group, list[Payout], bool]:
    group = group_for(actor, slug, roles.PAYOUT)
    rows = list(
        db.session.scalars(
            select(Payout).where(Payout.group_id == group.id).order_by(Payout.id.desc()).offset(offset).limit(limit + 1)
        )
    )
    return group, rows[:limit], len(rows) > limit


# ------------------------------------------------------------------ the admins' side


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang mengurus pencairan dana."))


def payout_for_admin(actor: User, payout_id: int, *, for_update: bool = False) -> Payout:
    _require_admin(actor)
    stmt = select(Payout).where(Payout.id == payout_id)
    payout = db.session.scalar(stmt.with_for_update() if for_update else stmt)
    if payout is None:
        raise NotFound(_("Pencairan tidak ditemukan."))
    return payout


def queue(actor: User, status: str | None, offset: int, limit: int) -> tuple[list[Payout], bool]:
    """Payouts for the admins, oldest first (the open ones by default: requested and approved)."""
    _require_admin(actor)
    if status and status not in set(PayoutStatus):
        raise ValidationFailed(_("Status tidak dikenal."), {"status": [_("requested, approved, sent atau failed.")]})
    wanted = (status,) if status else OPEN
    rows = list(
        db.session.scalars(
            select(Payout).where(Payout.status.in_(wanted)).order_by(Payout.id).offset(offset).limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def admins_count() -> int:
    return int(db.session.scalar(select(func.count(User.id)).where(User.role == "admin")) or 0)


def check_approver(actor: User, payout: Payout) -> None:
    """An admin approves; never the one who asked for it, where the platform has two admins."""
    if payout.status != PayoutStatus.REQUESTED:
        raise Conflict(_("Pencairan ini sudah berstatus: %(s)s.", s=_state(payout)))
    if payout.requested_by_id == actor.id and admins_count() >= 2:
        raise Forbidden(_("Pencairan yang Anda minta sendiri disetujui admin lain."))


def mark_approved(actor: User, payout: Payout) -> Payout:
    """requested → approved, once: of two admins approving at once, the second gets 409."""
    result = cast(
        "CursorResult[Any]",
        db.session.execute(  # an UPDATE's result counts its rows
            update(Payout)
            .where(Payout.id == payout.id, Payout.status == PayoutStatus.REQUESTED)
            .values(status=PayoutStatus.APPROVED, approved_by_id=actor.id, approved_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    moved = result.rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(_("Pencairan ini sudah diproses admin lain."))
    db.session.commit()
    db.session.refresh(payout)
    return payout


def record_sent(actor: User, payout_id: int, reference) -> Payout:
    """Without Iris: the admin transferred an approved payout from the platform's bank and records the
    bank's reference; the payout is sent."""
    payout = payout_for_admin(actor, payout_id, for_update=True)
    errors: dict[str, list[str]] = {}
    clean = text(reference, errors, "reference", max_len=120)
    if errors or clean is None:
        raise ValidationFailed(_("Tulis nomor referensi dari bank."), errors)
    if payout.provider:
        raise Conflict(_("Pencairan ini dikirim lewat Midtrans Payouts: statusnya datang dari Midtrans."))
    if payout.status != PayoutStatus.APPROVED:
        raise Conflict(_("Hanya pencairan yang sudah disetujui yang dicatat terkirim (ini: %(s)s).", s=_state(payout)))
    mark_sent(payout, clean, by_iris=False)
    db.session.commit()
    tell_sent(payout)
    return payout


def tell_sent(payout: Payout) -> None:
    """The group hears its money left: by WhatsApp to its chair and treasurer (the template dana_dicairkan,
    once per payout), by e-mail to the rest. After the commit: a notice never tells of money not sent."""
    group = db.session.get(Group, payout.group_id)
    amount, account = format_rupiah(payout.amount_idr), f"{payout.bank_name} {payout.account_number}"
    name = group.name if group else ""
    contact.tell_group(
        payout.group_id,
        "dana_dicairkan",
        [amount, account, name],
        key=f"dana_dicairkan:{payout.id}",
        subject=_("Dana %(a)s sudah dikirim ke rekening kelompok", a=amount),
        body=_(
            "Dana %(a)s sudah dikirim ke rekening %(b)s untuk %(g)s (referensi %(r)s). Rinciannya di halaman uang "
            "kelompok.",
            a=amount,
            b=account,
            g=name,
            r=payout.reference or "-",
        ),
    )


def mark_sent(payout: Payout, reference: str, *, by_iris: bool, at: datetime | None = None) -> None:
    postings.payout_sent(payout_id=payout.id, amount_idr=payout.amount_idr, by_iris=by_iris, reference=reference)
    payout.status, payout.reference, payout.sent_at = PayoutStatus.SENT, reference, at or utcnow()


def mark_failed(actor: User, payout_id: int, reason) -> Payout:
    """The admin refuses a request, or the bank refused an approved transfer: the money is available again.
    A payout Iris has taken is decided by Iris's notification, not here."""
    payout = payout_for_admin(actor, payout_id, for_update=True)
    errors: dict[str, list[str]] = {}
    clean = text(reason, errors, "reason", max_len=255)
    if errors or clean is None:
        raise ValidationFailed(_("Tulis alasannya."), errors)
    if payout.status not in OPEN:
        raise Conflict(_("Pencairan ini sudah berstatus: %(s)s.", s=_state(payout)))
    if payout.provider and payout.status == PayoutStatus.APPROVED:
        raise Conflict(_("Pencairan ini sudah di Midtrans Payouts: statusnya datang dari Midtrans."))
    fail(payout, clean)
    db.session.commit()
    return payout


def fail(payout: Payout, reason: str, *, at: datetime | None = None) -> None:
    postings.payout_returned(
        group_id=payout.group_id,
        payout_id=payout.id,
        amount_idr=payout.amount_idr,
        by_iris=payout.provider == "iris",
        reason=reason,
    )
    payout.status, payout.failure_reason, payout.failed_at = PayoutStatus.FAILED, reason[:255], at or utcnow()


def first_to_account(payout: Payout) -> bool:
    """No payout has reached this bank account of the group before: its name is to be checked first."""
    return not db.session.scalar(
        select(func.count(Payout.id)).where(
            Payout.group_id == payout.group_id,
            Payout.bank_name == payout.bank_name,
            Payout.account_number == payout.account_number,
            Payout.status == PayoutStatus.SENT,
        )
    )


def bank_transfer_rows(actor: User) -> list[tuple[str, str, str, int, str]]:
    """The approved payouts an admin transfers by hand (none Iris sends), for a bank's bulk transfer."""
    _require_admin(actor)
    rows = db.session.scalars(
        select(Payout).where(Payout.status == PayoutStatus.APPROVED, Payout.provider.is_(None)).order_by(Payout.id)
    )
    return [(p.bank_name, p.account_number, p.account_name, p.amount_idr, description(p)) for p in rows]


def description(payout: Payout) -> str:
    """What the group sees on its bank statement, and the key an admin finds the payout by."""
    return f"PASAR UPPKS P{payout.id}"
