"""What of a group's catalogue needs its attention: products out of stock or without a photo, permits that
end soon or have ended (the group's home counts them; each answer names one product to open when there
is only one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.core.timefmt import today_wib
from app.extensions import db

from .expiring import NOTICE_DAYS
from .models import Permit, Photo, Product


@dataclass(frozen=True)
class ProductsToFix:
    out_of_stock: int
    first_out_of_stock: int | None
    without_photo: int
    first_without_photo: int | None


def products_to_fix(group_id: int) -> ProductsToFix:
    """The group's products (not archived) with no stock, and those with no photo (one being processed
    counts as a photo; one that could not be read does not), in one pass."""
    no_stock = Product.stock <= 0
    no_photo = ~exists().where(Photo.product_id == Product.id, Photo.status != "failed")
    row = db.session.execute(
        select(
            func.count().filter(no_stock),
            func.min(case((no_stock, Product.id))),
            func.count().filter(no_photo),
            func.min(case((no_photo, Product.id))),
        ).where(Product.group_id == group_id, Product.status != "archived")
    ).one()
    return ProductsToFix(*row)


def permits_ending(group_id: int, days: int = NOTICE_DAYS) -> tuple[int, int | None]:
    """How many permits of the group's products (not archived) have ended or end within `days`, and are
    not yet replaced by another of their kind (valid beyond then, or waiting for an officer's decision);
    and the first such product's id."""
    limit = today_wib() + timedelta(days=days)
    other = aliased(Permit)
    replaced = exists().where(
        other.product_id == Permit.product_id,
        other.type == Permit.type,
        other.id != Permit.id,
        or_(
            other.status.in_(("in_process", "submitted")),
            and_(other.status == "verified", or_(other.expires_on.is_(None), other.expires_on > limit)),
        ),
    )
    ending = or_(Permit.status == "expired", and_(Permit.status == "verified", Permit.expires_on <= limit))
    count, first = db.session.execute(
        select(func.count(Permit.id), func.min(Product.id))
        .join(Product, Product.id == Permit.product_id)
        .where(Product.group_id == group_id, Product.status != "archived", ending, ~replaced)
    ).one()
    return count, first
