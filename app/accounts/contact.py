"""How a person is told things: her proven WhatsApp number, her address, and her choice (the account page).
The one place that decides whether a number may carry notices."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.core.notify import CHANNELS, Contact
from app.extensions import db

from .models import User


def whatsapp_number(user: User) -> str | None:
    """Her number, once proven hers (a code sent to it); None otherwise."""
    return user.phone if user.phone and user.phone_verified_at else None


def contact_of(user: User, *, whatsapp: bool = True) -> Contact:
    """Her contact; `whatsapp=False`: e-mail only (a notice not meant for WhatsApp)."""
    return Contact(
        email=user.email or None,
        whatsapp=whatsapp_number(user) if whatsapp else None,
        channel=user.notify_by or "whatsapp",
        language=user.locale if user.locale in ("id", "en") else "id",
    )


def set_notify_by(user: User, channel: str) -> User:
    """Her choice on the account page: WhatsApp, e-mail or both."""
    if channel not in CHANNELS:
        raise ValidationFailed(_("Pilih salah satu."), {"notify_by": [_("Pilih salah satu.")]})
    user.notify_by = channel
    db.session.commit()
    return user
