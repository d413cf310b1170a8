"""Remembered answers: an Idempotency-Key is claimed before a checkout is placed, and the answer is kept
under it for the retries."""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core.errors import Conflict, ValidationFailed
from app.core.types import utcnow
from app.extensions import db

from .models import IdempotencyRecord

if TYPE_CHECKING:
    from .checkout import CheckoutRequest


def fingerprint(req: CheckoutRequest) -> str:
    data = json.dumps(
        [sorted(req.items), req.shipping_address, req.payment_method, req.note, req.shipping_methods],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(data.encode()).hexdigest()


def replay(user: User | None, key: str | None) -> IdempotencyRecord | None:
    if not key or user is None:
        return None
    return db.session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key)
    )


CLAIM_WAIT_SECONDS = 15
CLAIM_STALE_SECONDS = 120


def claim(user: User, key: str, req: CheckoutRequest) -> IdempotencyRecord | None:
    """Take an Idempotency-Key before doing the work, so concurrent requests with it wait for the first
    one's answer instead of racing it. None: this request holds the key now and must answer it
    (`place_checkout` stores the answer). A record: the first answer, to send again. A key used with
    another body is 422; one still held after the wait is 409."""
    fp = fingerprint(req)
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        record = replay(user, key)
        if record is None:
            db.session.add(IdempotencyRecord(user_id=user.id, key=key, fingerprint=fp, status=None, body=None))
            try:
                db.session.commit()
                return None
            except IntegrityError:
                db.session.rollback()  # another request claimed it a moment ago: wait for its answer
                if replay(user, key) is None:
                    raise
                continue
        if record.fingerprint != fp:
            raise ValidationFailed(
                _("Idempotency-Key ini sudah dipakai untuk permintaan lain."),
                {"Idempotency-Key": [_("Sudah dipakai untuk permintaan lain.")]},
            )
        if record.finished:
            return record
        if (utcnow() - record.created_at).total_seconds() > CLAIM_STALE_SECONDS:
            # its holder died before answering: nothing was written with it, so the key is free again
            db.session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id, IdempotencyRecord.status.is_(None))
            )
            db.session.commit()
            continue
        db.session.rollback()  # end this read so the next one sees the holder's commit
        if time.monotonic() > deadline:
            raise Conflict(_("Permintaan dengan Idempotency-Key ini sedang diproses. Coba lagi sebentar lagi."))
        time.sleep(0.05)


def store_answer(user_id: int, key: str, status: int, body: dict) -> None:
    db.session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        .values(status=status, body=body)
        .execution_options(synchronize_session=False)
    )


def remember_answer(user: User, key: str, status: int, body: dict) -> None:
    """A refused request's answer, kept under its claimed key for the retries."""
    db.session.rollback()
    store_answer(user.id, key, status, body)
    db.session.commit()


def release(user: User, key: str) -> None:
    """An unexpected failure: free the key (nothing was written with it) so a retry does the work."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key, IdempotencyRecord.status.is_(None)
        )
    )
    db.session.commit()
