"""Groups that need help: verified groups of an area with no sale in 90 days, no product photo, or no
verified permit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, or_, select

from app.accounts.scope import Area
from app.catalog.models import Permit, Photo, Product
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.orders import counting
from app.orders.models import Order


def need_help(area: Area, limit: int = 500) -> list[dict]:
    since = utcnow() - timedelta(days=90)
    sold = exists().where(Order.group_id == Group.id, counting.counts(Order), Order.created_at >= since)
    photo = exists().where(
        Product.group_id == Group.id, Product.status == "active", exists().where(Photo.product_id == Product.id)
    )
    any_permit = exists().where(Product.group_id == Group.id, exists().where(Permit.product_id == Product.id))
    verified_permit = exists().where(
        Product.group_id == Group.id, exists().where(Permit.product_id == Product.id, Permit.status == "verified")
    )
    rows = db.session.execute(
        select(Group, sold, photo, any_permit, verified_permit)
        .where(
            Group.status == "verified",
            area.where(Group.province_code, Group.regency_code),
            or_(~sold, ~photo, ~verified_permit),
        )
        .order_by(Group.regency_code, Group.name)
        .limit(limit)
    ).all()
    out = []
    for group, has_sale, has_photo, has_permit, has_verified in rows:
        reasons = []
        if not has_sale:
            reasons.append("no_sale_90_days")
        if not has_photo:
            reasons.append("no_photo")
        if not has_permit:
            reasons.append("no_permit")
        elif not has_verified:
            reasons.append("unverified_permits_only")
        out.append({"group": group, "reasons": reasons})
    return out
