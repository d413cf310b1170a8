"""Product cards rendered once per product, catalog version, language and day, and shared by everyone who
sees them (signed in or not) through the catalog cache (Redis). A card holds nothing personal: the
product, its group, permits, photo and price, as the macro `product_card` writes them. The key carries the
catalog's version (bumped after any change a card shows: app/core/cache.py) and the day (a permit that
expires today changes the badges), so a change is on the next page. A listing whose products' ids came
from the cache and whose cards are all kept renders without loading a product. Without Redis the cards
are rendered each time, as before."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

from flask import get_template_attribute
from flask_babel import get_locale
from markupsafe import Markup

from app.core import cache
from app.core.timefmt import today_wib

from .models import Product

log = logging.getLogger(__name__)


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


def product_cards(items: Sequence[Product]) -> list[Markup]:
    """The cards of these products, in order (a template global). Each is the macro's own output, escaped
    as it rendered it, kept as it was written."""
    render = get_template_attribute("_macros.html", "product_card")
    conn = cache.connection_or_none()
    ids = items.ids if isinstance(items, LazyProducts) else [p.id for p in items]
    if conn is None or not ids:
        return [render(p) for p in items]
    try:
        prefix = f"pasar:card:{cache.version(conn)}:{get_locale()}:{today_wib().isoformat()}:"
        kept = conn.mget([prefix + str(i) for i in ids])
    except Exception:
        log.warning("catalog cache unavailable", exc_info=True)
        return [render(p) for p in items]
    if all(k is not None for k in kept):
        return [Markup(k.decode()) for k in kept]
    by_id = {p.id: p for p in items}
    out, fresh = [], {}
    for product_id, html in zip(ids, kept, strict=True):
        if product_id not in by_id:
            continue
        if html is None:
            fresh[prefix + str(product_id)] = html = str(render(by_id[product_id]))
        out.append(Markup(html if isinstance(html, str) else html.decode()))
    try:
        with conn.pipeline(transaction=False) as pipe:
            for key, value in fresh.items():
                pipe.set(key, value, ex=cache.TTL_SECONDS)
            pipe.execute()
    except Exception:
        log.warning("could not keep the cards", exc_info=True)
    return out
