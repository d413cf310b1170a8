"""The cart: product ids and quantities kept in the buyer's session (signed cookie), so a guest has
one too and no cart row can be touched by anyone else. Prices are never kept here."""
from __future__ import annotations

from flask import session

MAX_LINES = 50
MAX_QTY = 10_000


def items() -> dict[int, int]:
    raw = session.get("cart") or {}
    out = {}
    for key, qty in raw.items():
        try:
            pid, q = int(key), int(qty)
        except (TypeError, ValueError):
            continue
        if q >= 1:
            out[pid] = min(q, MAX_QTY)
    return out


def _save(cart: dict[int, int]) -> None:
    session["cart"] = {str(k): v for k, v in cart.items()}


def set_quantity(product_id: int, quantity: int) -> None:
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
