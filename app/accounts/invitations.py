"""Invitations by e-mail to join a group or a business buyer's staff, and accepting them (with a new
account or a signed-in one)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import distinct, func, select

from app.core import mail, validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db

from .lookup import find_by_email, normalise_email
from .models import Invitation, User
from .passwords import clean_password, hash_password
from .sessions import hash_token

# ------------------------------------------------------------------ invitations

INVITATION_TTL = timedelta(days=14)


def invite(actor: User, email: str, kind: str, target_id: int, role: str | None, *, what: str, link) -> Invitation:
    """Record an invitation and e-mail it, in the caller's transaction (it commits). Sent whether or not
    the address has an account: the one who invites learns nothing about the address."""
    token = secrets.token_urlsafe(32)
    row = Invitation(
        token_hash=hash_token(token),
        email=email,
        kind=kind,
        target_id=target_id,
        role=role,
        invited_by_id=actor.id,
        expires_at=utcnow() + INVITATION_TTL,
    )
    db.session.add(row)
    db.session.commit()
    mail.send(
        email,
        _("Undangan bergabung: %(what)s", what=what),
        _(
            "%(who)s mengundang Anda bergabung dengan %(what)s di Pasar UPPKS.\n"
            "Buka tautan ini dalam 14 hari untuk menerima (jika belum punya akun, akun dibuat di sana):\n%(link)s",
            who=actor.name,
            what=what,
            link=link(token),
        ),
    )
    return row


def invitation_for(token: str) -> Invitation:
    row = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token or "")))
    if row is None or row.accepted_at is not None or row.expires_at <= utcnow():
        raise NotFound(_("Undangan ini sudah dipakai atau kedaluwarsa. Minta undangan baru."))
    return row


def pending_invitations(kind: str, target_id: int) -> int:
    """How many addresses were invited (to a group or a business buyer's staff) and have neither accepted
    nor let the invitation run out."""
    return (
        db.session.scalar(
            select(func.count(distinct(Invitation.email))).where(
                Invitation.kind == kind,
                Invitation.target_id == target_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
        )
        or 0
    )


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
    clean_password(password, errors, email=row.email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    assert clean_name is not None  # a required text is None only with an error, raised above
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
