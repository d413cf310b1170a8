"""Passwords: the rules for a new one, the one place a password is checked (with the limit on wrong
ones), sign-in and the API's token, changing a password, and resetting a forgotten one."""

from __future__ import annotations

import math
import secrets
import time
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from limits import parse as parse_limit
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.core import mail
from app.core.errors import NotFound, TooManyAttempts, Unauthorized, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db, limiter

from .lookup import find_by_email, normalise_email
from .models import ApiToken, EmailToken, User, UserSession
from .sessions import (
    RESET_TTL,
    email_token,
    hash_token,
    link_user,
    new_email_token,
    password_fingerprint,
    revoke_sessions,
    use_up_links,
)

MIN_PASSWORD = 8
COMMON_PASSWORDS_CHECKED = 10_000
# Indonesian favourites the (English-language) list below ranks low or lacks
_COMMON_ID = {
    "sayangku",
    "bismillah",
    "indonesia",
    "rahasia",
    "rahasia123",
    "katasandi",
    "merdeka45",
    "jakarta123",
    "cintaku",
    "sayang123",
    "bismillah123",
    "indonesia1",
    "indonesia123",
    "pasaruppks",
    "uppks123",
}


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The most common passwords: the first 10,000 of zxcvbn's list (from leaked password sets,
    maintained on PyPI), and a few Indonesian ones."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_CHECKED]) | _COMMON_ID


# A valid hash to compare against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """A slow, salted hash (scrypt by default; tests may configure a faster method)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def clean_password(value: str | None, errors: dict, field: str = "password", email: str = "") -> str:
    value = value or ""
    if len(value) < MIN_PASSWORD:
        collect(errors, field, _("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD))
    elif len(value) > 200:
        collect(errors, field, _("Kata sandi terlalu panjang."))
    elif value.lower() in _common_passwords():
        collect(
            errors,
            field,
            _(
                "Kata sandi ini termasuk 10.000 kata sandi yang paling sering dipakai, jadi terlalu mudah "
                "ditebak. Pilih yang lain, misalnya tiga kata yang tidak berhubungan."
            ),
        )
    elif value.lower() == email.split("@")[0] or len(set(value)) < 4:
        collect(errors, field, _("Kata sandi ini terlalu mudah ditebak (sama dengan email atau terlalu berulang)."))
    return value


# ------------------------------------------------------------------ every password check

# Wrong passwords for one address, from anywhere (every IP, every way in: the sign-in page, the API's
# token, the account page's current password): at most this many in the window, then the address is
# refused (its right password too) until the window ends. Counted in the rate limiter's storage (Redis
# with RATELIMIT_STORAGE_URI, so every process and server shares the count). The owner's own browser (one
# that signed in to the account before) is neither held back nor counted: strangers cannot lock her out.
PASSWORD_FAILURES = "10 per 15 minutes"


def _failures_item():
    return parse_limit(PASSWORD_FAILURES)


def _failures_on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _refuse_when_locked(address: str, errors_field: str | None = None) -> None:
    item = _failures_item()
    if limiter.limiter.test(item, "password-failures", address):
        return
    reset_at = limiter.limiter.get_window_stats(item, "password-failures", address).reset_time
    wait = max(1, math.ceil(reset_at - time.time()))
    message = _(
        'Terlalu banyak kata sandi salah untuk akun ini. Coba lagi dalam %(m)s menit, atau pakai "Lupa kata sandi?".',
        m=max(1, math.ceil(wait / 60)),
    )
    raise TooManyAttempts(message, {errors_field: [message]} if errors_field else None, retry_after=wait)


def _count_failure(address: str) -> None:
    limiter.limiter.hit(_failures_item(), "password-failures", address)


def known_device(email: str, device_id: str | None) -> bool:
    """Whether this browser has signed in to the account before: its owner is not locked out by the
    per-address limit that somebody else's wrong guesses filled."""
    if not device_id or len(device_id) > 100:
        return False
    user = find_by_email(email)
    return (
        user is not None
        and db.session.scalar(
            select(UserSession.id)
            .where(UserSession.user_id == user.id, UserSession.device_hash == hash_token(device_id))
            .limit(1)
        )
        is not None
    )


def check_password(email: str, password: str, *, device_id: str | None = None, field: str | None = None) -> User | None:
    """The one place a password is checked: the account of the address when the password is its own
    (None otherwise), under the per-address limit (PASSWORD_FAILURES): TooManyAttempts (429) once it is
    full, unless `device_id` is a browser that signed in to the account before. `field` names the form
    field the limit's message belongs to."""
    address = normalise_email(email)
    guarded = _failures_on() and not known_device(address, device_id)
    if guarded:
        _refuse_when_locked(address, field)
    user = find_by_email(address)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")  # about as slow as a known address
    elif check_password_hash(user.password_hash, password or ""):
        return user
    if guarded:
        _count_failure(address)
    return None


def authenticate(email: str, password: str, device_id: str | None = None) -> User:
    """Sign-in (the page and the API's token). The same answer for an unknown address, a wrong password and
    an address not yet confirmed; 429 once the address has had too many wrong passwords."""
    user = check_password(email, password, device_id=device_id)
    if user is None or user.email_confirmed_at is None:
        raise Unauthorized(_("Email atau kata sandi salah."))
    return user


def change_password(user: User, current: str, new: str, device_id: str | None = None) -> None:
    if check_password(user.email or "", current, device_id=device_id, field="current_password") is None:
        raise ValidationFailed(_("Kata sandi lama salah."), {"current_password": [_("Kata sandi lama salah.")]})
    errors: dict[str, list[str]] = {}
    clean_password(new, errors, "new_password", email=user.email or "")
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user.password_hash = hash_password(new)
    revoke_sessions(user, keep=user.session_token)  # every other browser and every API token signs in again
    db.session.commit()


# ------------------------------------------------------------------ the API's token


def issue_token(email: str, password: str) -> tuple[str, ApiToken]:
    return token_for(authenticate(email, password))


def token_for(user: User) -> tuple[str, ApiToken]:
    """A new bearer token for an account that just proved itself (a password, or a code sent to its number)."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"]),
    )
    db.session.add(row)
    db.session.commit()
    return token, row


# ------------------------------------------------------------------ forgotten passwords


def request_reset(email: str, link) -> None:
    """Send a single-use link (valid RESET_TTL) to the address if it has an account. The caller answers
    the same either way, so the form does not tell who has an account. `link(token)` makes the URL."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, "x")  # about as slow as the real path
        return
    token = new_email_token(user, "reset", RESET_TTL)
    db.session.commit()
    mail.send(
        user.email,
        _("Atur ulang kata sandi Pasar UPPKS"),
        _(
            "Seseorang (semoga Anda) meminta atur ulang kata sandi. Buka tautan ini dalam satu jam:\n%(link)s\n\n"
            "Jika bukan Anda, abaikan email ini; kata sandi Anda tidak berubah.",
            link=link(token),
        ),
    )


def reset_for(token: str) -> EmailToken:
    """An open reset link; 404 when used, expired, or sent before the password was last changed."""
    row = email_token(token, "reset")
    user = link_user(row)
    if row.password_fingerprint is not None and row.password_fingerprint != password_fingerprint(user):
        raise NotFound(
            _(
                "Kata sandi akun ini sudah diganti setelah tautan ini dikirim, jadi tautan ini tidak berlaku "
                'lagi. Jika masih perlu, minta tautan baru di "Lupa kata sandi?".'
            )
        )
    return row


def reset_password(token: str, new: str) -> User:
    """Set the new password, use up every open link of the account, and end all its sessions. The
    link proves the address too."""
    row = reset_for(token)
    user = link_user(row)
    errors: dict[str, list[str]] = {}
    clean_password(new, errors, "new_password", email=user.email or "")
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user.password_hash = hash_password(new)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.email_proven_at = user.email_proven_at or utcnow()
    use_up_links(user, "reset")
    revoke_sessions(user, keep=None)
    db.session.commit()
    return user
