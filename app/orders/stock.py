"""The stock that never oversells: taken with one conditional UPDATE per product when a checkout is written,
given back when an order is cancelled or runs out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.catalog.models import Product
from app.core.errors import Conflict, collect
from app.extensions import db

from .quoting import merge_items

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

    from .models import Order


def stock_conflict(stock_errors: dict[str, list[str]]) -> Conflict:
    """What the buyer is told when some line asks for more than is left."""
    return Conflict(
        _("Stok tidak cukup: %(what)s", what=" ".join(m for ms in stock_errors.values() for m in ms)), stock_errors
    )


def reserve_stock(items) -> None:
    """The stock of a checkout being written: one conditional UPDATE per product, in id order (no deadlock
    between checkouts). When a product's stock is gone, the transaction is rolled back and Conflict says
    what is left of each product that was short."""
    short = take_stock(sorted(merge_items(items)))
    if not short:
        return
    db.session.rollback()
    remaining = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(short)))}
    stock_errors: dict[str, list[str]] = {}
    for index, (pid, _qty) in enumerate(merge_items(items)):
        if pid in remaining:
            p = remaining[pid]
            collect(stock_errors, f"items.{index}.quantity", _("%(name)s: stok tinggal %(n)s.", name=p.name, n=p.stock))
    raise stock_conflict(stock_errors)


def take_stock(wanted: list[tuple[int, int]]) -> list[int]:
    """Decrement each product's stock if enough is left; the ids that were short (nothing is kept then)."""
    short = []
    for product_id, quantity in wanted:
        result = cast(
            "CursorResult[Any]",
            db.session.execute(  # an UPDATE's result counts its rows
                update(Product)
                .where(Product.id == product_id, Product.stock >= quantity)
                .values(stock=Product.stock - quantity)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            short.append(product_id)
    return short


def give_back_stock(order: Order) -> None:
    for line in order.lines:
        if line.product_id:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id)
                .values(stock=Product.stock + line.quantity)
                .execution_options(synchronize_session=False)
            )
