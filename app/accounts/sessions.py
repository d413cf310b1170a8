"""Signed-in sessions, API tokens and the single-use links sent by e-mail: every token is kept only as
its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from app.core.errors import NotFound, Unauthorized
from app.core.types import utcnow
from app.extensions import db

from .models import ApiToken, EmailToken, User, UserSession


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------ signed-in sessions

SESSION_IDLE_DAYS = 90
_SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


def start_session(user: User, user_agent: str | None, device_id: str | None) -> None:
    """A new server-side session for a browser that just signed in; its token goes into the cookies."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_token(token),
            device_hash=hash_token(device_id) if device_id else None,
            user_agent=describe_agent(user_agent),
        )
    )
    db.session.commit()
    user.session_token = token


# Chrome and Firefox on an iPhone or iPad name themselves CriOS and FxiOS (and Safari too)
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("CriOS/", "Chrome"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_agent(user_agent: str | None) -> str | None:
    """ "Chrome · Android" from a User-Agent header, for the list of signed-in devices."""
    ua = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in ua), None)
    system = next((name for token, name in _SYSTEMS if token in ua), None)
    return " · ".join(x for x in (browser, system) if x) or (ua[:60] or None)


# What every signed-in page reads of its person besides her memberships, added by the areas above this
# one (the business she staffs, for the header's link): loaded with her session in the same round trip
_LOADED_WITH_USER: dict[str, ORMOption] = {}


def load_with_user(name: str, option: ORMOption) -> None:
    """An eager-load option on User applied when a signed-in request loads its person (set by init_app,
    once per name however many apps are made)."""
    _LOADED_WITH_USER[name] = option


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the session must exist on the server, be the user's, and not be ended."""
    user_id, _sep, token = (session_id or "").partition(":")
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10 or not token:
        return None
    found = (  # the session, its user and what every page reads of her, in one round trip
        db.session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == hash_token(token))
            # her memberships joined; their groups asked only when she has any (most signed-in people are buyers)
            .options(joinedload(User.memberships).selectinload("*"), *_LOADED_WITH_USER.values())
        )
        .unique()
        .first()
    )
    now = utcnow()
    if found is None:
        return None
    row, user = found
    if (
        row.user_id != int(user_id)
        or row.revoked_at is not None
        or now - row.last_seen_at > timedelta(days=SESSION_IDLE_DAYS)
    ):
        return None
    user.session_token = token
    if now - row.last_seen_at > _SEEN_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return user


def end_session(user: User) -> None:
    """Sign-out: this browser's session ends on the server (its remember cookie with it)."""
    if user.session_token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_token(user.session_token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Sign out everywhere: every browser session and every API token of the account."""
    revoke_sessions(user, keep=None)
    db.session.commit()


def end_other_session(user: User, session_id: int) -> None:
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_("Sesi tidak ditemukan."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.commit()


def revoke_sessions(user: User, keep: str | None) -> None:
    now = utcnow()
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.token_hash != hash_token(keep))
    db.session.execute(stmt.values(revoked_at=now))
    db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )


def sessions_of(user: User) -> list[UserSession]:
    """The browsers signed in to the account now, the most recently used first."""
    since = utcnow() - timedelta(days=SESSION_IDLE_DAYS)
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.last_seen_at > since)
            .order_by(UserSession.last_seen_at.desc())
            .limit(50)
        )
    )


def is_current(user: User, row: UserSession) -> bool:
    token = user.session_token
    return bool(token and row.token_hash == hash_token(token))


# ------------------------------------------------------------------ the API's tokens


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row.user


def revoke_token(token: str) -> None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized(_("Token tidak dikenal."))
    row.revoked_at = utcnow()
    db.session.commit()


# ------------------------------------------------------------------ links sent by e-mail

RESET_TTL = timedelta(hours=1)
CONFIRM_TTL = timedelta(days=7)


def new_email_token(user: User, purpose: str, ttl: timedelta, new_email: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=utcnow() + ttl,
            password_fingerprint=password_fingerprint(user) if purpose == "reset" else None,
            new_email=new_email,
        )
    )
    return token


def password_fingerprint(user: User) -> str:
    """What a reset link is bound to: a hash of the account's password hash as it is now. Any change of
    the password (whichever way it is made) changes it."""
    return hashlib.sha256(("reset-link:" + (user.password_hash or "")).encode()).hexdigest()


def email_token(token: str, purpose: str) -> EmailToken:
    row = db.session.scalar(
        select(EmailToken).where(EmailToken.token_hash == hash_token(token or ""), EmailToken.purpose == purpose)
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise NotFound(_("Tautan ini sudah dipakai atau kedaluwarsa. Minta tautan baru."))
    return row


def link_user(row: EmailToken) -> User:
    """The account an e-mailed link was sent to (its links go with a deleted account: 404 as for any
    link no longer open)."""
    user = db.session.get(User, row.user_id)
    if user is None:
        raise NotFound(_("Tautan ini sudah dipakai atau kedaluwarsa. Minta tautan baru."))
    return user


def use_up_links(user: User, purpose: str) -> None:
    db.session.execute(
        update(EmailToken)
        .where(EmailToken.user_id == user.id, EmailToken.purpose == purpose, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
