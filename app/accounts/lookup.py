"""An account by its e-mail address, in the one form addresses are stored and compared in."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db

from .models import User


def normalise_email(email: str | None) -> str:
    """The form in which addresses are stored and compared (rate limits too)."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))
