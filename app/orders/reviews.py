"""Reviews: a buyer's of a product bought, the group's reply, a product's reviews."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.catalog.models import Product
from app.core import validate
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db

from .models import Order, OrderLine, OrderStatus, Review
from .services import is_member


def add_review(buyer: User, line_id: int, rating, body: str | None) -> Review:
    line = db.session.get(OrderLine, line_id)
    order = db.session.get(Order, line.order_id) if line else None
    if line is None or order is None or order.user_id != buyer.id:
        raise NotFound(_("Pesanan tidak ditemukan."))
    if order.status != OrderStatus.COMPLETED:
        raise Conflict(_("Ulasan dapat ditulis setelah pesanan selesai."))
    if line.review is not None:
        raise Conflict(_("Produk ini sudah Anda ulas."))
    if line.product_id is None:
        raise Conflict(_("Produk ini sudah tidak ada."))
    errors: dict[str, list[str]] = {}
    stars = validate.integer(rating, errors, "rating", low=1, high=5)
    text = validate.text(body, errors, "body", max_len=2000, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    review = Review(line_id=line.id, product_id=line.product_id, user_id=buyer.id, rating=stars, body=text)
    db.session.add(review)
    db.session.execute(
        update(Product)
        .where(Product.id == line.product_id)
        .values(rating_count=Product.rating_count + 1, rating_sum=Product.rating_sum + stars)
    )
    db.session.commit()
    return review


def reply_to_review(actor: User, review_id: int, text: str) -> Review:
    review = db.session.get(Review, review_id)
    product = db.session.get(Product, review.product_id) if review else None
    if review is None or product is None or not is_member(actor, product.group_id):
        raise NotFound(_("Ulasan tidak ditemukan."))
    if review.reply:
        raise Conflict(_("Ulasan ini sudah dibalas."))
    errors: dict[str, list[str]] = {}
    review.reply = validate.text(text, errors, "reply", max_len=2000)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    review.replied_at = utcnow()
    db.session.commit()
    return review


def reviews_of(product_id: int, limit: int = 20) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review).where(Review.product_id == product_id).order_by(Review.id.desc()).limit(limit)
        )
    )
