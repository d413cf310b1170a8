"""Product cards for a listing (a template global), rendered by the macro `product_card` from a `Card`:
the few plain values a card shows, taken from its product. With the catalog cache (Redis) a card's values
are kept per product, catalog version and day and shared by everyone who sees them (signed in or not): a
listing whose cards are all kept renders without loading a product. What is kept is data (JSON), never
HTML: the template escapes it as it renders, so nothing read back from Redis is marked safe. The key
carries the catalog's version (bumped after any change a card shows: app/core/cache.py) and the day (a
permit that expires today changes the badges), so a change is on the next page."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass

from flask import get_template_attribute

from app.core import cache
from app.core.timefmt import today_wib

from .models import PhotoSizes, Product

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

    def load(self, ids: list[int]) -> list[Product]:
        """Only these of its products (the cards not kept), in order."""
        if self._rows is None:
            return self._load(ids)
        wanted = set(ids)
        return [p for p in self._rows if p.id in wanted]

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Product]:
        return iter(self.rows)


@dataclass(frozen=True)
class CardPhoto(PhotoSizes):
    width: int
    height: int
    keys: dict[str, str]  # storage keys by width, as Photo.keys


@dataclass(frozen=True)
class CardGroup:
    name: str
    regency_name: str


@dataclass(frozen=True)
class Card:
    """What a product's card shows, nothing personal."""

    id: int
    slug: str
    name: str
    price_idr: int
    unit: str
    stock: int
    group: CardGroup
    photo: CardPhoto | None
    photos_processing: bool
    verified_permits: list[str]  # the types of its valid permits, in order (badges)
    export_ready: bool
    lapsed: bool  # a required permit ran out: shown, not sold

    @classmethod
    def of(cls, p: Product) -> Card:
        photo = p.main_photo
        return cls(
            id=p.id,
            slug=p.slug,
            name=p.name,
            price_idr=p.price_idr,
            unit=p.unit,
            stock=p.stock,
            group=CardGroup(p.group.name, p.group.regency_name),
            photo=CardPhoto(photo.width, photo.height, dict(photo.keys)) if photo else None,
            photos_processing=p.photos_processing,
            verified_permits=[x.type for x in p.permits if x.effective_status == "verified"],
            export_ready=p.is_export_ready,
            lapsed=p.lapsed_permit is not None,
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> Card:
        data = json.loads(raw)
        photo = data.pop("photo")
        return cls(**{**data, "group": CardGroup(**data["group"]), "photo": CardPhoto(**photo) if photo else None})


def _read(raw: bytes) -> Card | None:
    """A kept card, or None when what is kept is not one (another release's shape: made again)."""
    try:
        return Card.from_json(raw)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _cards(ids: list[int], load: Callable[[list[int]], list[Product]]) -> list[Card]:
    """The cards of these ids, in order: kept ones from the catalog cache, the rest from their products
    (then kept). Without Redis, or when it fails, every card from its product."""
    conn = cache.connection_or_none()
    if conn is None or not ids:
        return [Card.of(p) for p in load(ids)]
    try:
        prefix = f"pasar:card:{cache.version(conn)}:{today_wib().isoformat()}:"
        kept = dict(zip(ids, conn.mget([prefix + str(i) for i in ids]), strict=True))
    except Exception:
        log.warning("catalog cache unavailable", exc_info=True)
        return [Card.of(p) for p in load(ids)]
    cards = {i: card for i, raw in kept.items() if raw is not None and (card := _read(raw)) is not None}
    fresh = {p.id: Card.of(p) for p in load([i for i in ids if i not in cards])} if len(cards) < len(ids) else {}
    if fresh:
        try:
            with conn.pipeline(transaction=False) as pipe:
                for product_id, card in fresh.items():
                    pipe.set(prefix + str(product_id), json.dumps(asdict(card)), ex=cache.TTL_SECONDS)
                pipe.execute()
        except Exception:
            log.warning("could not keep the cards", exc_info=True)
    cards.update(fresh)
    return [cards[i] for i in ids if i in cards]


def product_cards(items: Sequence[Product]) -> list:
    """The cards of these products, in order, as the macro renders them (escaping what it shows)."""
    render = get_template_attribute("_macros.html", "product_card")
    if isinstance(items, LazyProducts):
        cards = _cards(items.ids, items.load)
    else:
        by_id = {p.id: p for p in items}
        cards = _cards(list(by_id), lambda ids: [by_id[i] for i in ids])
    return [render(c) for c in cards]
