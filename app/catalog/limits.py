"""What a product's fields may hold: written once, read by the service that checks a product
(products.py), the page's form (forms.py) and the API's schema (api/schemas/catalog.py), so the three
can no longer disagree (the API once let a tier cost Rp1 and a name be one letter, which the service
then refused)."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    low: int
    high: int


NAME = Span(3, 120)  # characters
CATEGORY_SLUG_MAX = 40
DESCRIPTION_MAX = 5000
INGREDIENTS_MAX = 2000
UNIT = Span(1, 30)
NET_WEIGHT_G = Span(1, 1_000_000)
SHELF_LIFE_DAYS = Span(1, 3650)
PRICE_IDR = Span(100, 1_000_000_000)  # a unit's price, and a tier's
STOCK = Span(0, 1_000_000)
MIN_ORDER_QTY = Span(1, 1_000_000)
TIER_MIN_QTY = Span(2, 1_000_000)
MAX_TIERS = 5
MAX_PERMITS = 5
PERMIT_NUMBER_MAX = 60
