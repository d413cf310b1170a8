"""The stock that never oversells: taken with one conditional UPDATE per product when a checkout is written,
given back when an order is cancelled or runs out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.catalog import lots
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


def reserve_stock(items, shelf: lots.ShelfRule | None = None) -> None:
    """The stock of a checkout being written: one conditional UPDATE per product, in id order (no deadlock
    between checkouts), then its lots (app/catalog/lots.py; `shelf`: what a business buyer asks of them).
    When a product's stock is gone, the transaction is rolled back and Conflict says what is left of each
    product that was short."""
    shelf = shelf or lots.ShelfRule()
    short = take_stock(sorted(merge_items(items)), shelf)
    if not short:
        return
    db.session.rollback()
    remaining = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(short)))}
    stock_errors: dict[str, list[str]] = {}
    for index, (pid, qty) in enumerate(merge_items(items)):
        if pid in remaining:
            p = remaining[pid]
            message = (
                lots.short_message(p, shelf)
                if p.stock >= qty
                else _("%(name)s: stok tinggal %(n)s.", name=p.name, n=p.stock)
            )
            collect(stock_errors, f"items.{index}.quantity", message)
    raise stock_conflict(stock_errors)


def take_stock(wanted: list[tuple[int, int]], shelf: lots.ShelfRule | None = None) -> list[int]:
    """Decrement each product's stock if enough is left, then take from its lots (the one that expires first
    first, fresh enough for `shelf`); the ids that were short (the caller rolls back then)."""
    lots.forget_takes()
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
        if result.rowcount != 1 or not lots.take(product_id, quantity, shelf):
            short.append(product_id)
    return short


def give_back_stock(order: Order) -> None:
    lots.give_back([line.id for line in order.lines])
    for line in order.lines:
        if line.product_id:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id)
                .values(stock=Product.stock + line.quantity)
                .execution_options(synchronize_session=False)
            )
