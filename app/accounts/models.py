from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

ROLES = ("user", "admin", "officer")


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # empty for an account made with a phone number (app/accounts/phones.py)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # "" for an account that has no password
    name: Mapped[str] = mapped_column(String(120))
    # E.164. A number typed at registration is only a contact number; once a code sent to it is entered
    # (phone_verified_at) it signs the account in, no other account may have it verified, and WhatsApp
    # notices go to it
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    role: Mapped[str] = mapped_column(String(16), default="user")
    # An officer's scope: both empty = national; a province; or a province and a regency.
    scope_province: Mapped[str | None] = mapped_column(String(8))
    scope_regency: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # empty until the address is proven (an account made on the registration page); accounts made
    # through the API, by operators and through an invitation are confirmed at once
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # when the address was proven by a link sent to it (the registration page's link, an invitation, a
    # password reset) or the account made by an operator. An account made through the API works at once
    # but is not proven until its link is opened: its purchases count in no sales figure until then
    # (app/orders/counting.py)
    email_proven_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # how she wants notices: whatsapp (to a proven number; e-mail without one) | email | both
    notify_by: Mapped[str] = mapped_column(String(10), default="whatsapp", server_default="whatsapp")

    memberships = relationship("Membership", back_populates="user", lazy="selectin")

    __table_args__ = (
        # one account per verified number (an unverified contact number may repeat)
        Index(
            "uq_users_verified_phone",
            "phone",
            unique=True,
            sqlite_where=text("phone_verified_at IS NOT NULL"),
            postgresql_where=text("phone_verified_at IS NOT NULL"),
        ),
    )

    # the token of the signed-in session this object was loaded for (see UserSession); not a column
    if TYPE_CHECKING:  # declared for the checker only: SQLAlchemy would read an annotation as a column
        session_token: str | None
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie and the remember cookie: the user and the
        server-side session, so ending the session (sign-out) makes both cookies worthless."""
        return f"{self.id}:{self.session_token}"

    @property
    def has_password(self) -> bool:
        """An account made with a phone number has none until it sets one ("Lupa kata sandi?" once it has an
        e-mail address)."""
        return bool(self.password_hash)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_officer(self) -> bool:
        return self.role == "officer"


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class UserSession(Model):
    """A signed-in browser. The cookie holds the token; only its hash is kept. Signing out revokes it
    on the server, so a copied session or remember cookie opens nothing afterwards."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_hash: Mapped[str | None] = mapped_column(String(64), index=True)  # the browser's device cookie
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EmailToken(Model):
    """A single-use link sent by e-mail: `reset` sets a new password, `confirm` proves a new account's
    address. Only the token's hash is kept."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # reset | confirm | change_email
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # change_email links: the address to be proven (it replaces the account's once the link is opened)
    new_email: Mapped[str | None] = mapped_column(String(254))
    # reset links: a hash of the password hash when the link was sent; a password changed since (any way:
    # the account page, another link, an admin) no longer matches, and the link is refused
    password_fingerprint: Mapped[str | None] = mapped_column(String(64))


class Invitation(Model):
    """An e-mailed invitation to join a group (as member or chair) or a business buyer's staff. It is
    sent whether or not the address has an account; accepting it makes one when there is none."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # indexed: an order counts as no sale when its checkout's address was invited to the selling group
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # group | organisation
    target_id: Mapped[int]
    role: Mapped[str | None] = mapped_column(String(16))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Decision(Model):
    """Every officer's or admin's decision, with who, when, why and where."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # group | permit | organisation | product | price | offline_sale
    object_id: Mapped[int] = mapped_column(index=True)
    # verified | rejected | hidden | shown | suspended | restored | accepted
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    province_code: Mapped[str | None] = mapped_column(String(8), index=True)
    regency_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User", lazy="joined")


class PhoneCode(Model):
    """A 6-digit code sent to a number (by WhatsApp, or to the log in development): it signs in or up
    (`sign_in`) or proves a new number for an account (`change`, user_id set). Only an HMAC of the code is
    kept; it works once, for PHONE_CODE_TTL, and dies after PHONE_CODE_TRIES wrong tries."""

    __tablename__ = "phone_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # sign_in | change
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
