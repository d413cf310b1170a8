"""The transfer code of a bank-transfer payment: six characters the buyer writes in the transfer's
description ("berita"/"keterangan") and the payee reads in its bank app, so that two transfers of the
same amount are told apart. From an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B) and
without vowels (no words by chance); unique across payments (a unique constraint, and a new draw when
the one drawn is taken)."""

from __future__ import annotations

import re
import secrets

from sqlalchemy.exc import IntegrityError

from app.extensions import db

from .models import Payment

ALPHABET = "CDFGHJKMNPQRTVWXY34679"
LENGTH = 6
ATTEMPTS = 10
_NOT_TYPED = re.compile(r"[\s\-_.·/]+")


def draw() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def typed(text: str | None) -> str:
    """What the payee typed or pasted, as a code: capitals, without spaces or separators ("k7m 3qx" ->
    "K7M3QX")."""
    return _NOT_TYPED.sub("", text or "").upper()


def looks_like_a_code(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def give_code(payment: Payment) -> None:
    """Add the payment to the session with a code no other payment has: written in a savepoint, so that a
    code another payment has (drawn before, or by another checkout at this moment) fails the unique
    constraint there alone, and another is drawn."""
    for attempt in range(ATTEMPTS):
        payment.transfer_code = draw()
        try:
            with db.session.begin_nested():
                db.session.add(payment)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return
