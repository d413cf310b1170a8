"""Joining a group without e-mail: the chair (roles.MANAGE_MEMBERS) makes a link, shown as a QR code or
shared by WhatsApp; a person who opens it signs in or up with her phone number and asks to join; the
chair confirms (she becomes a member) or refuses. A link works JOIN_LINK_TTL and can be revoked; a group
has one open link at a time (a new one revokes the old)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.core import mail
from app.core.errors import Conflict, NotFound
from app.core.types import utcnow
from app.extensions import db

from . import roles
from .models import Group, JoinLink, JoinRequest, Membership
from .services import group_for, membership

JOIN_LINK_TTL = timedelta(days=7)


def open_link(group: Group) -> JoinLink | None:
    now = utcnow()
    return db.session.scalar(
        select(JoinLink)
        .where(JoinLink.group_id == group.id, JoinLink.revoked_at.is_(None), JoinLink.expires_at > now)
        .order_by(JoinLink.id.desc())
        .limit(1)
    )


def _revoke_open(group_id: int) -> None:
    db.session.execute(
        update(JoinLink).where(JoinLink.group_id == group_id, JoinLink.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


def create_link(actor: User, slug: str) -> JoinLink:
    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    _revoke_open(group.id)
    link = JoinLink(
        group_id=group.id, token=secrets.token_urlsafe(24), created_by_id=actor.id, expires_at=utcnow() + JOIN_LINK_TTL
    )
    db.session.add(link)
    db.session.commit()
    return link


def revoke_link(actor: User, slug: str) -> None:
    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    _revoke_open(group.id)
    db.session.commit()


def link_for(token: str) -> JoinLink:
    """An open link; 404 when unknown, revoked or expired."""
    link = db.session.scalar(select(JoinLink).where(JoinLink.token == (token or "")))
    if link is None or link.revoked_at is not None or link.expires_at <= utcnow():
        raise NotFound(_("Tautan ini sudah tidak berlaku. Minta tautan baru kepada ketua kelompok."))
    return link


# ------------------------------------------------------------------ asking, and the chair's answer


@dataclass(frozen=True)
class Visit:
    """What the link's page shows the person who opened it."""

    link: JoinLink
    member: bool
    request: JoinRequest | None  # her newest request to the group


def visit(token: str, user: User | None) -> Visit:
    link = link_for(token)
    if user is None or not user.is_authenticated:
        return Visit(link, False, None)
    newest = db.session.scalar(
        select(JoinRequest)
        .where(JoinRequest.group_id == link.group_id, JoinRequest.user_id == user.id)
        .order_by(JoinRequest.id.desc())
        .limit(1)
    )
    return Visit(link, membership(user, link.group_id) is not None, newest)


def ask_to_join(user: User, token: str, manage_link) -> JoinRequest:
    """Her request (the pending one if she asked already); the chair is told by e-mail when she has one
    (`manage_link(slug)` makes the URL of the group's manage page)."""
    seen = visit(token, user)
    if seen.member:
        raise Conflict(_("Anda sudah menjadi anggota kelompok ini."))
    if seen.request is not None and seen.request.status == "pending":
        return seen.request
    group = seen.link.group
    row = JoinRequest(group_id=group.id, user_id=user.id, link_id=seen.link.id)
    db.session.add(row)
    db.session.commit()
    chairs = db.session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.role == roles.CHAIR)
    )
    mail.send(
        list(chairs),
        _("%(name)s ingin bergabung dengan %(group)s", name=user.name, group=group.name),
        _(
            "%(name)s membuka tautan gabung kelompok dan meminta bergabung. Konfirmasi atau tolak di sini:\n%(link)s",
            name=user.name,
            link=manage_link(group.slug),
        ),
    )
    return row


def pending(group: Group) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
            .order_by(JoinRequest.id)
        )
    )


def decide(actor: User, slug: str, request_id: int, confirm: bool) -> JoinRequest:
    """The chair confirms (she becomes a member) or refuses a pending request."""
    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    row = db.session.get(JoinRequest, request_id)
    if row is None or row.group_id != group.id:
        raise NotFound(_("Permintaan tidak ditemukan."))
    if row.status != "pending":
        raise Conflict(_("Permintaan ini sudah dijawab."))
    row.status, row.decided_at, row.decided_by_id = ("confirmed" if confirm else "refused"), utcnow(), actor.id
    if confirm and membership(row.user, group.id) is None:
        db.session.add(Membership(group_id=group.id, user_id=row.user_id, role=roles.MEMBER))
    db.session.commit()
    return row
