"""Product cards for a listing (a template global): each rendered by the macro `product_card` from its
product, escaped by the template as it renders. A listing whose ids came from the catalog cache loads its
products when the cards are rendered (LazyProducts). The rendered HTML itself is not kept: markup read back
from Redis would have to be marked safe, and anyone who could write to Redis could then put markup on
every listing (the house rule: nothing turns escaping off)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from flask import get_template_attribute

from .models import Product


class LazyProducts(Sequence[Product]):
    """Products of known ids, loaded (once, in order) when something reads them."""

    def __init__(self, ids: list[int], load: Callable[[list[int]], list[Product]]):
        self.ids = list(ids)
        self._load = load
        self._rows: list[Product] | None = None

    @property
    def rows(self) -> list[Product]:
        if self._rows is None:
            self._rows = self._load(self.ids)
        return self._rows

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Product]:
        return iter(self.rows)


def product_cards(items: Sequence[Product]) -> list:
    """The cards of these products, in order, as the macro renders them."""
    render = get_template_attribute("_macros.html", "product_card")
    return [render(p) for p in items]
