"""Accounts: registration, sign-in, passwords, API tokens, operators."""
from __future__ import annotations

import hashlib
import math
import secrets
import time
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from limits import parse as parse_limit
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.core import mail, regions, validate
from app.core.errors import Conflict, Forbidden, NotFound, TooManyAttempts, Unauthorized, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db, limiter

from .models import ROLES, ApiToken, EmailToken, Invitation, User, UserSession

MIN_PASSWORD = 8
COMMON_PASSWORDS_CHECKED = 10_000
# Indonesian favourites the (English-language) list below ranks low or lacks
_COMMON_ID = {"sayangku", "bismillah", "indonesia", "rahasia", "rahasia123", "katasandi", "merdeka45", "jakarta123",
              "cintaku", "sayang123", "bismillah123", "indonesia1", "indonesia123", "pasaruppks", "uppks123"}


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


def _password(value: str | None, errors: dict, field: str = "password", email: str = "") -> str:
    value = value or ""
    if len(value) < MIN_PASSWORD:
        collect(errors, field, _("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD))
    elif len(value) > 200:
        collect(errors, field, _("Kata sandi terlalu panjang."))
    elif value.lower() in _common_passwords():
        collect(errors, field, _("Kata sandi ini termasuk 10.000 kata sandi yang paling sering dipakai, jadi terlalu mudah "
                                 "ditebak. Pilih yang lain, misalnya tiga kata yang tidak berhubungan."))
    elif value.lower() == email.split("@")[0] or len(set(value)) < 4:
        collect(errors, field, _("Kata sandi ini terlalu mudah ditebak (sama dengan email atau terlalu berulang)."))
    return value


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _clean_account(email: str, password: str, name: str, phone: str | None) -> tuple[str, str, str | None]:
    """The address, name and phone of a new account, and a password good enough; 422 otherwise."""
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    clean_name = validate.text(name, errors, "name", max_len=120)
    clean_phone = validate.phone(phone, errors)
    _password(password, errors, email=clean_email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return clean_email, clean_name, clean_phone


def register(email: str, password: str, name: str, phone: str | None = None, *, confirm_link=None) -> User:
    """An account that works at once (the API's, API.md) but whose address is not proven: its purchases
    count in no sales figure until the link e-mailed to it (`confirm_link(token)` makes the URL) is opened."""
    clean_email, clean_name, clean_phone = _clean_account(email, password, name, phone)
    if find_by_email(clean_email):
        raise Conflict(_("Email ini sudah terdaftar."), {"email": [_("Email ini sudah terdaftar.")]})
    user = User(email=clean_email, name=clean_name, phone=clean_phone, password_hash=hash_password(password),
                email_confirmed_at=utcnow())  # the API's accounts work at once (API.md)
    db.session.add(user)
    db.session.flush()
    token = _email_token(user, "confirm", CONFIRM_TTL) if confirm_link is not None else None
    db.session.commit()
    if token is not None:
        mail.send(user.email, _("Konfirmasi email akun Pasar UPPKS"),
                  _("Akun Pasar UPPKS Anda sudah bisa dipakai. Buka tautan ini untuk membuktikan bahwa alamat email "
                    "ini milik Anda (berlaku 7 hari):\n%(link)s", link=confirm_link(token)))
    return user


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
    message = _("Terlalu banyak kata sandi salah untuk akun ini. Coba lagi dalam %(m)s menit, atau pakai "
                "\"Lupa kata sandi?\".", m=max(1, math.ceil(wait / 60)))
    raise TooManyAttempts(message, {errors_field: [message]} if errors_field else None, retry_after=wait)


def _count_failure(address: str) -> None:
    limiter.limiter.hit(_failures_item(), "password-failures", address)


def check_password(email: str, password: str, *, device_id: str | None = None,
                   field: str | None = None) -> User | None:
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
    if check_password(user.email, current, device_id=device_id, field="current_password") is None:
        raise ValidationFailed(_("Kata sandi lama salah."), {"current_password": [_("Kata sandi lama salah.")]})
    errors: dict[str, list[str]] = {}
    _password(new, errors, "new_password", email=user.email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user.password_hash = hash_password(new)
    _revoke_sessions(user, keep=user.session_token)  # every other browser and every API token signs in again
    db.session.commit()


# ------------------------------------------------------------------ signed-in sessions

SESSION_IDLE_DAYS = 90
_SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


def start_session(user: User, user_agent: str | None, device_id: str | None) -> None:
    """A new server-side session for a browser that just signed in; its token goes into the cookies."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash_token(token),
                               device_hash=_hash_token(device_id) if device_id else None,
                               user_agent=describe_agent(user_agent)))
    db.session.commit()
    user.session_token = token


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_agent(user_agent: str | None) -> str | None:
    """"Chrome · Android" from a User-Agent header, for the list of signed-in devices."""
    ua = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in ua), None)
    system = next((name for token, name in _SYSTEMS if token in ua), None)
    return " · ".join(x for x in (browser, system) if x) or (ua[:60] or None)


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the session must exist on the server, be the user's, and not be ended."""
    user_id, _sep, token = (session_id or "").partition(":")
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10 or not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    now = utcnow()
    if row is None or row.user_id != int(user_id) or row.revoked_at is not None \
            or now - row.last_seen_at > timedelta(days=SESSION_IDLE_DAYS):
        return None
    user = db.session.get(User, row.user_id)
    if user is None:
        return None
    user.session_token = token
    if now - row.last_seen_at > _SEEN_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return user


def end_session(user: User) -> None:
    """Sign-out: this browser's session ends on the server (its remember cookie with it)."""
    if user.session_token:
        db.session.execute(update(UserSession).where(UserSession.token_hash == _hash_token(user.session_token),
                                                     UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Sign out everywhere: every browser session and every API token of the account."""
    _revoke_sessions(user, keep=None)
    db.session.commit()


def end_other_session(user: User, session_id: int) -> None:
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_("Sesi tidak ditemukan."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.commit()


def _revoke_sessions(user: User, keep: str | None) -> None:
    now = utcnow()
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.token_hash != _hash_token(keep))
    db.session.execute(stmt.values(revoked_at=now))
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))


def sessions_of(user: User) -> list[UserSession]:
    """The browsers signed in to the account now, the most recently used first."""
    since = utcnow() - timedelta(days=SESSION_IDLE_DAYS)
    return list(db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.last_seen_at > since)
        .order_by(UserSession.last_seen_at.desc()).limit(50)))


def is_current(user: User, row: UserSession) -> bool:
    return bool(user.session_token) and row.token_hash == _hash_token(user.session_token)


def known_device(email: str, device_id: str | None) -> bool:
    """Whether this browser has signed in to the account before: its owner is not locked out by the
    per-address limit that somebody else's wrong guesses filled."""
    if not device_id or len(device_id) > 100:
        return False
    user = find_by_email(email)
    return user is not None and db.session.scalar(select(UserSession.id).where(
        UserSession.user_id == user.id, UserSession.device_hash == _hash_token(device_id)).limit(1)) is not None


def normalise_email(email: str | None) -> str:
    """The form in which addresses are stored and compared (rate limits too)."""
    return (email or "").strip().lower()


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
        user = User(email=clean_email, name=clean_email.split("@")[0], password_hash="", email_confirmed_at=utcnow())
        db.session.add(user)
    user.email_proven_at = user.email_proven_at or utcnow()  # the operator vouches for the address
    user.role = role
    user.password_hash = hash_password(password)
    user.scope_province = province if role == "officer" else None
    user.scope_regency = regency if role == "officer" else None
    db.session.commit()
    return user


# ------------------------------------------------------------------ links sent by e-mail

RESET_TTL = timedelta(hours=1)
CONFIRM_TTL = timedelta(days=7)


def _email_token(user: User, purpose: str, ttl: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(EmailToken(user_id=user.id, purpose=purpose, token_hash=_hash_token(token),
                              expires_at=utcnow() + ttl,
                              password_fingerprint=password_fingerprint(user) if purpose == "reset" else None))
    return token


def password_fingerprint(user: User) -> str:
    """What a reset link is bound to: a hash of the account's password hash as it is now. Any change of
    the password (whichever way it is made) changes it."""
    return hashlib.sha256(("reset-link:" + (user.password_hash or "")).encode()).hexdigest()


def email_token(token: str, purpose: str) -> EmailToken:
    row = db.session.scalar(select(EmailToken).where(EmailToken.token_hash == _hash_token(token or ""),
                                                     EmailToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise NotFound(_("Tautan ini sudah dipakai atau kedaluwarsa. Minta tautan baru."))
    return row


def _use_up(user: User, purpose: str) -> None:
    db.session.execute(update(EmailToken).where(EmailToken.user_id == user.id, EmailToken.purpose == purpose,
                                                EmailToken.used_at.is_(None)).values(used_at=utcnow()))


# ------------------------------------------------------------------ registration on the site

def start_registration(email: str, password: str, name: str, phone: str | None, *, confirm_link, sign_in_link) -> None:
    """The registration page: the answer is the same whether or not the address has an account, so
    the page does not tell who has one. A new address gets an account that works once the link in
    the e-mail is opened; an address that has an account gets an e-mail saying so."""
    clean_email, clean_name, clean_phone = _clean_account(email, password, name, phone)
    existing = find_by_email(clean_email)
    if existing is not None and existing.email_confirmed_at is not None:
        hash_password(password)  # about as slow as the other path
        mail.send(existing.email, _("Anda sudah punya akun Pasar UPPKS"),
                  _("Seseorang (semoga Anda) mencoba mendaftar dengan alamat ini, padahal akunnya sudah ada.\n"
                    "Masuk di %(link)s, atau pakai \"Lupa kata sandi?\" di sana.\n\nJika bukan Anda, abaikan email ini.",
                    link=sign_in_link()))
        return
    if existing is None:
        existing = User(email=clean_email, name=clean_name, phone=clean_phone, email_confirmed_at=None,
                        password_hash=hash_password(password))
        db.session.add(existing)
        db.session.flush()
    else:  # registered before and never confirmed: the newest details count
        existing.name, existing.phone, existing.password_hash = clean_name, clean_phone, hash_password(password)
    token = _email_token(existing, "confirm", CONFIRM_TTL)
    db.session.commit()
    mail.send(existing.email, _("Konfirmasi email akun Pasar UPPKS"),
              _("Selamat datang di Pasar UPPKS! Buka tautan ini untuk mengaktifkan akun Anda (berlaku 7 hari):\n%(link)s",
                link=confirm_link(token)))


def confirm_email(token: str) -> User:
    row = email_token(token, "confirm")
    user = db.session.get(User, row.user_id)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.email_proven_at = user.email_proven_at or utcnow()
    _use_up(user, "confirm")
    db.session.commit()
    return user


# ------------------------------------------------------------------ forgotten passwords

def request_reset(email: str, link) -> None:
    """Send a single-use link (valid RESET_TTL) to the address if it has an account. The caller answers
    the same either way, so the form does not tell who has an account. `link(token)` makes the URL."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, "x")  # about as slow as the real path
        return
    token = _email_token(user, "reset", RESET_TTL)
    db.session.commit()
    mail.send(user.email, _("Atur ulang kata sandi Pasar UPPKS"),
              _("Seseorang (semoga Anda) meminta atur ulang kata sandi. Buka tautan ini dalam satu jam:\n%(link)s\n\n"
                "Jika bukan Anda, abaikan email ini; kata sandi Anda tidak berubah.", link=link(token)))


def reset_for(token: str) -> EmailToken:
    """An open reset link; 404 when used, expired, or sent before the password was last changed."""
    row = email_token(token, "reset")
    user = db.session.get(User, row.user_id)
    if row.password_fingerprint is not None and row.password_fingerprint != password_fingerprint(user):
        raise NotFound(_("Kata sandi akun ini sudah diganti setelah tautan ini dikirim, jadi tautan ini tidak berlaku "
                         "lagi. Jika masih perlu, minta tautan baru di \"Lupa kata sandi?\"."))
    return row


def reset_password(token: str, new: str) -> User:
    """Set the new password, use up every open link of the account, and end all its sessions. The
    link proves the address too."""
    row = reset_for(token)
    user = db.session.get(User, row.user_id)
    errors: dict[str, list[str]] = {}
    _password(new, errors, "new_password", email=user.email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user.password_hash = hash_password(new)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.email_proven_at = user.email_proven_at or utcnow()
    _use_up(user, "reset")
    _revoke_sessions(user, keep=None)
    db.session.commit()
    return user


# ------------------------------------------------------------------ invitations

INVITATION_TTL = timedelta(days=14)


def invite(actor: User, email: str, kind: str, target_id: int, role: str | None, *, what: str, link) -> Invitation:
    """Record an invitation and e-mail it, in the caller's transaction (it commits). Sent whether or not
    the address has an account: the one who invites learns nothing about the address."""
    token = secrets.token_urlsafe(32)
    row = Invitation(token_hash=_hash_token(token), email=email, kind=kind, target_id=target_id, role=role,
                     invited_by_id=actor.id, expires_at=utcnow() + INVITATION_TTL)
    db.session.add(row)
    db.session.commit()
    mail.send(email, _("Undangan bergabung: %(what)s", what=what),
              _("%(who)s mengundang Anda bergabung dengan %(what)s di Pasar UPPKS.\n"
                "Buka tautan ini dalam 14 hari untuk menerima (jika belum punya akun, akun dibuat di sana):\n%(link)s",
                who=actor.name, what=what, link=link(token)))
    return row


def invitation_for(token: str) -> Invitation:
    row = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash_token(token or "")))
    if row is None or row.accepted_at is not None or row.expires_at <= utcnow():
        raise NotFound(_("Undangan ini sudah dipakai atau kedaluwarsa. Minta undangan baru."))
    return row


def accept_invitation(token: str, user: User, join) -> Invitation:
    """`join(user, invitation)` adds the user where the invitation says (the group's or the business
    buyer's service); all in one transaction."""
    row = invitation_for(token)
    if normalise_email(user.email) != normalise_email(row.email):
        raise Forbidden(_("Undangan ini untuk %(email)s. Keluar lalu masuk dengan alamat itu.", email=row.email))
    join(user, row)
    row.accepted_at, row.accepted_by_id = utcnow(), user.id
    user.email_confirmed_at = user.email_confirmed_at or utcnow()  # the link proved the address
    user.email_proven_at = user.email_proven_at or utcnow()
    db.session.commit()
    return row


def account_for_invitation(token: str, name: str, password: str, phone: str | None) -> User:
    """An invited person without an account makes one: its address is the invitation's (proven by the link)."""
    row = invitation_for(token)
    errors: dict[str, list[str]] = {}
    clean_name = validate.text(name, errors, "name", max_len=120)
    clean_phone = validate.phone(phone, errors)
    _password(password, errors, email=row.email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    user = find_by_email(row.email)
    if user is not None and user.email_confirmed_at is not None:
        raise Conflict(_("Alamat ini sudah punya akun: masuk dulu, lalu buka undangan lagi."))
    if user is None:
        user = User(email=row.email, name=clean_name, phone=clean_phone, password_hash=hash_password(password))
        db.session.add(user)
    else:
        user.name, user.phone, user.password_hash = clean_name, clean_phone, hash_password(password)
    user.email_confirmed_at = user.email_proven_at = utcnow()
    db.session.flush()
    return user


def join_as_new(token: str, name: str, password: str, phone: str | None, join) -> User:
    """Make the account and accept the invitation, in one transaction."""
    user = account_for_invitation(token, name, password, phone)
    accept_invitation(token, user, join)
    return user
