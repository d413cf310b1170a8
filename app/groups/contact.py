"""Reaching a group and being reached by it. Its notices (a new order, a transfer proof, quotes and offers, a
payout, a permit ending) go by WhatsApp to its chair and treasurer who have a proven number (each as she
chose) and by e-mail to the rest; buyers reach the group by a wa.me link with a message written in, where
the group has a number and shows it (the chair decides)."""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.contact import contact_of
from app.accounts.models import User
from app.core import notify, validate
from app.core.errors import ValidationFailed
from app.extensions import db

from . import roles
from .models import Group, Membership
from .services import group_for


def group_contacts(group_id: int) -> list[notify.Contact]:
    """Every member: the chair and the treasurer as they chose, the others by e-mail."""
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group_id)
        .order_by(Membership.id)
    ).all()
    return [contact_of(user, whatsapp=role in roles.MONEY) for user, role in rows]


def tell_group(group_id: int, template: str, params: list, *, key: str, subject: str, body: str) -> None:
    """A notice to the group (notify.tell); `key` names the notice, sent once per number."""
    notify.tell(group_contacts(group_id), template, params, key=key, subject=subject, body=body)


def update_whatsapp(actor: User, slug: str, number: str | None, shown: bool) -> Group:
    """The group's WhatsApp number and whether buyers see a link to it (the chair: roles.EDIT_GROUP)."""
    group = group_for(actor, slug, roles.EDIT_GROUP)
    errors: dict[str, list[str]] = {}
    clean = validate.phone(number, errors, "whatsapp")
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    group.whatsapp, group.whatsapp_shown = clean, bool(shown)
    db.session.commit()
    return group


def share_link(text: str) -> str:
    """A WhatsApp link that opens the person's own chats with `text` written in (to pass a link on)."""
    return f"https://wa.me/?text={quote(text, safe='')}"


def chat_link(group: Group, text: str) -> str | None:
    """wa.me/<number>?text=<the message written in> (no text: the bare link), or None where the group has no
    number or hides it."""
    if not group.whatsapp or not group.whatsapp_shown:
        return None
    link = f"https://wa.me/{group.whatsapp.lstrip('+')}"
    return f"{link}?text={quote(text, safe='')}" if text else link


def product_chat_link(product) -> str | None:
    return chat_link(
        product.group,
        _("Halo %(g)s, saya ingin bertanya tentang %(p)s di Pasar UPPKS.", g=product.group.name, p=product.name),
    )


def order_chat_link(order) -> str | None:
    return chat_link(
        order.group,
        _("Halo %(g)s, saya ingin bertanya tentang pesanan %(n)s di Pasar UPPKS.", g=order.group.name, n=order.number),
    )
