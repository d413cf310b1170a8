"""Accounts by phone number: a 6-digit code sent to an Indonesian mobile number signs its owner in, or up
when the number has no account yet; an account adds or changes its number by a code sent to the new one.

Codes (PhoneCode) are kept only as an HMAC keyed with the app's secret: single use, CODE_TTL, and dead
after CODE_TRIES wrong tries (then a new code is needed). Sending is limited per number
(PHONE_CODE_NUMBER_LIMIT, in the rate limiter's storage, every process sharing it); the pages and the API
limit it per client address too. Asking for a code answers the same whether or not the number has an
account: the number learns it, the person asking does not."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from datetime import timedelta

import phonenumbers
from flask import current_app
from flask_babel import gettext as _
from limits import parse_many
from sqlalchemy import select, update

from app.core import validate
from app.core.errors import Conflict, TooManyAttempts, Unauthorized, ValidationFailed
from app.core.types import utcnow
from app.extensions import db, limiter

from . import otp_delivery
from .models import PhoneCode, User

CODE_TTL = timedelta(minutes=5)
CODE_TRIES = 5
PROOF_TTL = timedelta(minutes=15)  # a proven number may be given a name (sign-up) for this long
_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mobile_number(value: str | None, field: str = "phone") -> str:
    """An Indonesian mobile number (0812…, 62812…, +62 812…) as E.164 (+62812…); 422 otherwise."""
    try:
        number = phonenumbers.parse((value or "").strip(), "ID")
        if (
            phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) == "ID"
            and phonenumbers.number_type(number) in _MOBILE
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    message = _("Masukkan nomor HP Indonesia, mis. 0812 3456 7890.")
    raise ValidationFailed(message, {field: [message]})


def display(phone: str | None) -> str:
    """+6281234567890 -> "0812-3456-7890" (as people write it)."""
    if not phone:
        return ""
    return phonenumbers.format_number(phonenumbers.parse(phone, "ID"), phonenumbers.PhoneNumberFormat.NATIONAL)


def find_by_phone(phone: str) -> User | None:
    """The account whose verified number this is."""
    return db.session.scalar(select(User).where(User.phone == phone, User.phone_verified_at.is_not(None)))


def _code_hash(phone: str, purpose: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"phone-code:{purpose}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ sending a code


def _hold_back(phone: str) -> None:
    """The per-number limit: TooManyAttempts (429, with Retry-After) once the number had its codes."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for item in parse_many(current_app.config["PHONE_CODE_NUMBER_LIMIT"]):
        if not limiter.limiter.hit(item, "phone-code", phone):
            reset_at = limiter.limiter.get_window_stats(item, "phone-code", phone).reset_time
            wait = max(1, math.ceil(reset_at - time.time()))
            message = _(
                "Sudah terlalu banyak kode dikirim ke nomor ini. Coba lagi dalam %(m)s menit.", m=math.ceil(wait / 60)
            )
            raise TooManyAttempts(message, {"phone": [message]}, retry_after=wait)


def send_code(phone_text: str | None, purpose: str = "sign_in", user: User | None = None) -> str:
    """A new code to the number (earlier open ones for the same purpose die); the number as E.164. The same
    whether or not the number has an account."""
    phone = mobile_number(phone_text)
    _hold_back(phone)
    open_codes = update(PhoneCode).where(
        PhoneCode.phone == phone, PhoneCode.purpose == purpose, PhoneCode.used_at.is_(None)
    )
    db.session.execute(open_codes.values(used_at=utcnow()))
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(
        PhoneCode(
            phone=phone,
            purpose=purpose,
            user_id=user.id if user is not None else None,
            code_hash=_code_hash(phone, purpose, code),
            expires_at=utcnow() + CODE_TTL,
        )
    )
    db.session.commit()
    otp_delivery.send_code(phone, code)
    return phone


# ------------------------------------------------------------------ using a code


def _wrong(message: str) -> Unauthorized:
    return Unauthorized(message, {"code": [message]})


def use_code(phone: str, code: str | None, purpose: str = "sign_in", user: User | None = None) -> None:
    """The newest open code of the number, used up when `code` is it; Unauthorized (401) otherwise: no
    code, expired, wrong (counted), or wrong CODE_TRIES times (the code dies)."""
    stmt = select(PhoneCode).where(PhoneCode.phone == phone, PhoneCode.purpose == purpose, PhoneCode.used_at.is_(None))
    if user is not None:
        stmt = stmt.where(PhoneCode.user_id == user.id)
    row = db.session.scalar(stmt.order_by(PhoneCode.id.desc()).limit(1))
    given = _code_hash(phone, purpose, (code or "").strip())
    if row is None or row.expires_at <= utcnow():
        raise _wrong(_("Kode ini sudah tidak berlaku. Minta kode baru."))
    if not hmac.compare_digest(row.code_hash, given):
        row.tries += 1
        if row.tries >= CODE_TRIES:
            row.used_at = utcnow()
            db.session.commit()
            raise _wrong(_("Kode salah %(n)s kali. Minta kode baru.", n=CODE_TRIES))
        db.session.commit()
        raise _wrong(_("Kode salah. Periksa pesan WhatsApp Anda (sisa %(n)s kali).", n=CODE_TRIES - row.tries))
    row.used_at = utcnow()
    db.session.commit()


def sign_in_with_code(phone_text: str | None, code: str | None) -> tuple[str, User | None]:
    """The number (E.164) proven by the code, and its account (None: no account yet, the caller asks her
    name and calls `create_account`)."""
    phone = mobile_number(phone_text)
    use_code(phone, code)
    return phone, find_by_phone(phone)


def create_account(phone: str, name: str | None) -> User:
    """An account for a number just proven by a code (the caller keeps the proof): no e-mail, no password."""
    errors: dict[str, list[str]] = {}
    clean_name = validate.text(name, errors, "name", max_len=120)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    existing = find_by_phone(phone)
    if existing is not None:  # made a moment ago (another tab): it is hers
        return existing
    user = User(email=None, name=clean_name, phone=phone, phone_verified_at=utcnow(), password_hash="")
    db.session.add(user)
    db.session.commit()
    return user


# ------------------------------------------------------------------ another number for an account


def start_change(user: User, phone_text: str | None) -> str:
    """A code to the new number; the number changes once it is entered (`finish_change`)."""
    phone = mobile_number(phone_text)
    if phone == user.phone and user.phone_verified_at is not None:
        message = _("Ini sudah nomor akun Anda.")
        raise ValidationFailed(message, {"phone": [message]})
    return send_code(phone, "change", user)


def finish_change(user: User, phone: str, code: str | None) -> User:
    use_code(phone, code, "change", user)
    holder = find_by_phone(phone)
    if holder is not None and holder.id != user.id:
        message = _("Nomor ini sudah dipakai akun lain. Masuk dengan nomor itu, atau pakai nomor lain.")
        raise Conflict(message, {"code": [message]})
    user.phone, user.phone_verified_at = phone, utcnow()
    db.session.commit()
    return user
