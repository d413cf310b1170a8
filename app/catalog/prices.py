"""Prices far above what other groups ask in the same category are put before an officer rather than
refused: a big woven mat or a rattan chair is dear and real, and a price is the group's to set. The product
stays on sale; until an officer accepts the price, the orders with a line above the limit are held out of
every sales figure (app/orders/counting.py), so a made-up price buys nothing on a statement or a dashboard.

The limit is PRICE_FACTOR times the median price of the other groups' active products in the category
(the group's own products are left out, so it cannot raise its own limit), and never below PRICE_FLOOR_IDR
(a category with few products, or none elsewhere, is not held back: below the floor nothing is checked)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db

from .models import PriceFlag, Product

PRICE_FACTOR = 20
PRICE_FLOOR_IDR = 2_000_000


def median_elsewhere(product: Product) -> int | None:
    """The median price of the active products of the category that other groups sell (None: none)."""
    others = (
        Product.category_id == product.category_id,
        Product.status == "active",
        Product.group_id != product.group_id,
    )
    n = db.session.scalar(select(func.count()).select_from(Product).where(*others)) or 0
    if not n:
        return None
    return db.session.scalar(
        select(Product.price_idr).where(*others).order_by(Product.price_idr).offset(n // 2).limit(1)
    )


def limit_for(product: Product) -> tuple[int, int | None]:
    """(the highest unit price asked without a check, the median it comes from)."""
    median = median_elsewhere(product)
    return max(PRICE_FACTOR * (median or 0), PRICE_FLOOR_IDR), median


def check(product: Product) -> PriceFlag | None:
    """After a product's price and tiers are set, in the caller's transaction: flag a price above the limit
    (one open flag per product, which follows the price up), unless an officer accepted that much already."""
    if product.status != "active":
        return None  # a draft cannot be bought; it is checked when it goes on sale
    highest = max([product.price_idr] + [t.unit_price_idr for t in product.tiers])
    if highest <= PRICE_FLOOR_IDR:
        return None
    limit, median = limit_for(product)
    if highest <= limit:
        return None
    flags = list(db.session.scalars(select(PriceFlag).where(PriceFlag.product_id == product.id)))
    if any(f.status == "accepted" and f.price_idr >= highest for f in flags):
        return None
    flag = next((f for f in flags if f.status == "open"), None)
    if flag is None:
        flag = PriceFlag(
            product_id=product.id, price_idr=highest, threshold_idr=limit, median_idr=median, status="open"
        )
        db.session.add(flag)
    else:
        flag.price_idr, flag.threshold_idr = max(flag.price_idr, highest), min(flag.threshold_idr, limit)
        flag.median_idr = median
    return flag
