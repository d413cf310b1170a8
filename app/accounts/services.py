"""Accounts: registration, sign-in, passwords, API tokens, operators."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.core import regions, validate
from app.core.errors import Conflict, Unauthorized, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db

from .models import ROLES, ApiToken, User

MIN_PASSWORD = 8
_COMMON = {"password", "12345678", "123456789", "1234567890", "qwertyui", "sayangku", "bismillah", "indonesia", "password1"}
# A valid hash to compare against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """A slow, salted hash (scrypt by default; tests may configure a faster method)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _password(value: str | None, errors: dict, field: str = "password", email: str = "") -> str:
    value = value or ""
    if len(value) < MIN_PASSWORD:
        collect(errors, field, _("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD))
    elif len(value) > 200:
        collect(errors, field, _("Kata sandi terlalu panjang."))
    elif value.lower() in _COMMON or value.lower() == email.split("@")[0] or len(set(value)) < 4:
        collect(errors, field, _("Kata sandi ini terlalu mudah ditebak."))
    return value


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def register(email: str, password: str, name: str, phone: str | None = None) -> User:
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    clean_name = validate.text(name, errors, "name", max_len=120)
    clean_phone = validate.phone(phone, errors)
    _password(password, errors, email=clean_email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if find_by_email(clean_email):
        raise Conflict(_("Email ini sudah terdaftar."), {"email": [_("Email ini sudah terdaftar.")]})
    user = User(email=clean_email, name=clean_name, phone=clean_phone, password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User:
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise Unauthorized(_("Email atau kata sandi salah."))
    if not check_password_hash(user.password_hash, password or ""):
        raise Unauthorized(_("Email atau kata sandi salah."))
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed(_("Kata sandi lama salah."), {"current_password": [_("Kata sandi lama salah.")]})
    errors: dict[str, list[str]] = {}
    _password(new, errors, "new_password", email=user.email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user.password_hash = hash_password(new)
    user.session_version += 1  # other sessions end
    db.session.execute(
        ApiToken.__table__.update().where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    db.session.commit()


def load_session_user(session_id: str) -> User | None:
    try:
        user_id, version = (int(x) for x in session_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, user_id)
    return user if user and user.session_version == version else None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(email: str, password: str) -> tuple[str, ApiToken]:
    user = authenticate(email, password)
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=_hash_token(token),
        expires_at=utcnow() + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"]),
    )
    db.session.add(row)
    db.session.commit()
    return token, row


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row.user


def revoke_token(token: str) -> None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized(_("Token tidak dikenal."))
    row.revoked_at = utcnow()
    db.session.commit()


def create_operator(email: str, role: str, password: str, province: str | None = None, regency: str | None = None) -> User:
    """`flask users create`: an admin or an officer (scoped to the nation, a province or a regency)."""
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    if role not in ROLES or role == "user":
        collect(errors, "role", "role must be admin or officer")
    _password(password, errors, email=clean_email)
    if province and not regions.province(province):
        collect(errors, "province", f"unknown province code {province!r} (see GET /api/v1/regions)")
    if regency:
        reg = regions.regency(regency)
        if reg is None:
            collect(errors, "regency", f"unknown regency code {regency!r}")
        elif province and reg.province_code != province:
            collect(errors, "regency", "regency is not in that province")
        elif reg:
            province = reg.province_code
    if errors:
        raise ValidationFailed("invalid values", errors)
    user = find_by_email(clean_email)
    if user is None:
        user = User(email=clean_email, name=clean_email.split("@")[0], password_hash="")
        db.session.add(user)
    user.role = role
    user.password_hash = hash_password(password)
    user.scope_province = province if role == "officer" else None
    user.scope_regency = regency if role == "officer" else None
    db.session.commit()
    return user
