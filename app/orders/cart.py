"""The cart: product ids and quantities kept in the buyer's session (signed cookie), so a guest has
one too and no cart row can be touched by anyone else. Prices are never kept here."""

from __future__ import annotations

from flask import session

from app.core.inputs import id_value

MAX_LINES = 50
MAX_QTY = 10_000


def items() -> dict[int, int]:
    """What the cart holds; whatever does not parse as a product id and a quantity is dropped."""
    raw = session.get("cart")
    out: dict[int, int] = {}
    for key, qty in raw.items() if isinstance(raw, dict) else ():
        pid = id_value(key)
        if pid is not None and type(qty) is int and qty >= 1 and len(out) < MAX_LINES:
            out[pid] = min(qty, MAX_QTY)
    return out


def _save(cart: dict[int, int]) -> None:
    session["cart"] = {str(k): v for k, v in cart.items()}


def set_quantity(product_id: int | None, quantity: int) -> None:
    if product_id is None:
        return
    cart = items()
    if quantity <= 0:
        cart.pop(product_id, None)
    elif product_id in cart or len(cart) < MAX_LINES:
        cart[product_id] = min(quantity, MAX_QTY)
    _save(cart)


def add(product_id: int, quantity: int) -> None:
    set_quantity(product_id, items().get(product_id, 0) + quantity)


def clear() -> None:
    session.pop("cart", None)


def count() -> int:
    return sum(items().values())
