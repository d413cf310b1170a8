"""Who may touch a product: the members of its group (and admins); who may sell: a verified group."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.accounts.models import User
from app.core.errors import Forbidden, NotFound
from app.extensions import db
from app.groups.models import Group, Membership
from app.groups.services import group_for_member

from .models import Product


def product_for_member(actor: User, product_id: int) -> Product:
    """A product of a group the actor belongs to; anything else is 404."""
    stmt = select(Product).where(Product.id == product_id)
    if not actor.is_admin:
        stmt = stmt.where(exists().where(Membership.group_id == Product.group_id, Membership.user_id == actor.id))
    product = db.session.scalar(stmt)
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


def group_for_selling(actor: User, slug: str) -> Group:
    """The actor's group, if it may sell (verified); another group's is 404."""
    group = group_for_member(actor, slug)
    if group.status != "verified":
        raise Forbidden(_("Kelompok belum diverifikasi: produk dapat ditambahkan setelah verifikasi."))
    return group
