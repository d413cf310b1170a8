"""Approving a payout, and Midtrans Payouts (Iris) sending it when its keys are set.

Approval with Iris: before the first payout to a bank account, Iris's account validation gives the name
the bank holds (when it does not match the group's account name, nothing is sent: the admin marks the
payout failed and the group corrects its account); the payout is made at Iris with an idempotency key of
its own (a retry after a timeout makes nothing new) and approved with the approver's key (and the admin's
authenticator code where Iris asks one). Iris then notifies: completed → sent, failed or rejected →
failed (the money is available again). Notifications may come twice or out of order (Iris says so):
a payout never moves back, and each movement of money is posted once (the ledger's keys)."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import Conflict, ValidationFailed
from app.extensions import db

from . import iris_gateway as iris
from .models import Payout, PayoutStatus
from .payouts import (
    check_approver,
    description,
    fail,
    first_to_account,
    mark_approved,
    mark_sent,
    payout_for_admin,
    tell_sent,
)

log = logging.getLogger(__name__)


def sends_payouts() -> bool:
    """Whether Iris sends approved payouts here (else an admin transfers them and records the reference)."""
    return iris.configured()


def approve(actor: User, payout_id: int, otp: str | None = None) -> Payout:
    payout = payout_for_admin(actor, payout_id)
    check_approver(actor, payout)
    if iris.configured():
        _send_through_iris(payout, (otp or "").strip() or None)
    return mark_approved(actor, payout)


def names_match(a: str, b: str) -> bool:
    """The bank's name and the group's, ignoring case, punctuation and titles the bank cuts short."""

    def clean(s: str) -> str:
        return " ".join(re.sub(r"[^A-Z0-9 ]", " ", (s or "").upper()).split())

    x, y = clean(a), clean(b)
    return bool(x and y) and (x == y or x.startswith(y) or y.startswith(x))


def _check_account(payout: Payout) -> None:
    if not current_app.config.get("IRIS_VALIDATE_ACCOUNTS") or not first_to_account(payout):
        return
    try:
        account = iris.validate_account(payout.bank_name, payout.account_number)
    except iris.AccountRefused as exc:
        raise ValidationFailed(
            _(
                "Bank menolak rekening ini (%(why)s). Tandai gagal agar kelompok memperbaiki rekeningnya.",
                why=exc.detail,
            ),
            {"bank": [exc.detail]},
        ) from None
    payout.checked_name = account.name[:120]
    db.session.commit()
    if not names_match(account.name, payout.account_name):
        raise Conflict(
            _(
                "Nama di bank %(bank)s, bukan %(ours)s. Tandai gagal agar kelompok memperbaiki rekeningnya.",
                bank=account.name,
                ours=payout.account_name,
            )
        )


def _send_through_iris(payout: Payout, otp: str | None) -> None:
    if current_app.config.get("IRIS_OTP_REQUIRED") and not otp:
        raise ValidationFailed(_("Tulis kode OTP dari aplikasi autentikator."), {"otp": [_("Wajib diisi.")]})
    _check_account(payout)
    if not payout.provider_id:
        reference_no = iris.create_payout(
            f"pasar-payout-{payout.id}",
            name=payout.account_name,
            account=payout.account_number,
            bank=payout.bank_name,
            amount_idr=payout.amount_idr,
            notes=description(payout),
        )
        payout.provider, payout.provider_id, payout.provider_status = "iris", reference_no, "queued"
        db.session.commit()  # kept even if the approval below fails: the admin approves it again
    assert payout.provider_id
    iris.approve(payout.provider_id, otp)
    payout.provider_status = "approved"


# ------------------------------------------------------------------ Iris's notifications


DONE, GONE = ("completed",), ("failed", "rejected")


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        return None


def handle_notification(raw: bytes, signature: str) -> str:
    """An Iris notification: ValueError unless its Iris-Signature is right. What it did: sent, failed,
    noted (a status on the way), ignored (a top-up, a replay, a late one) or unknown (not our payout)."""
    if not iris.signature_ok(raw, signature):
        raise ValueError("bad Iris-Signature")
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValueError("not JSON") from None
    if not isinstance(data, dict) or not data.get("reference_no"):
        return "ignored"  # a top-up notification (it has no reference_no), or nothing we know
    status = str(data.get("status") or "")
    payout = db.session.scalar(select(Payout).where(Payout.provider_id == str(data["reference_no"])).with_for_update())
    if payout is None:
        log.warning("iris notification for an unknown payout %s", data.get("reference_no"))
        return "unknown"
    at = _when(data.get("updated_at"))
    result = _apply(payout, status, data, at)
    db.session.commit()
    if result == "sent":
        tell_sent(payout)
    return result


def _apply(payout: Payout, status: str, data: dict, at: datetime | None) -> str:
    # requested too: Iris approved it, but our side never heard the answer (a timeout)
    if status in DONE and payout.status in (PayoutStatus.REQUESTED, PayoutStatus.APPROVED):
        payout.provider_status = status
        mark_sent(payout, payout.provider_id or "", by_iris=True, at=at)
        return "sent"
    if status in GONE and payout.status != PayoutStatus.FAILED:
        # failed after completed: the bank returned the transfer (Iris documents it)
        reason = str(data.get("error_message") or data.get("error_code") or status)
        payout.provider_status = status
        fail(payout, f"Midtrans Payouts: {reason}", at=at)
        return "failed"
    if payout.status in (PayoutStatus.REQUESTED, PayoutStatus.APPROVED) and status in ("approved", "processed"):
        payout.provider_status = status
        return "noted"
    return "ignored"
