from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timefmt import today_wib
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model
from app.groups.models import Group

PRODUCT_STATUSES = ("draft", "active", "archived")
CATEGORY_KINDS = ("food", "cosmetic", "craft")
PERMIT_TYPES = ("bpom_md", "bpom_ml", "bpom_na", "pirt", "halal")
PERMIT_STATUSES = ("in_process", "submitted", "verified", "rejected", "expired")
# What a permit type is for: soap is a cosmetic (notification NA…), not food (MD/ML/P-IRT).
PERMITS_BY_KIND = {"food": ("bpom_md", "bpom_ml", "pirt", "halal"), "cosmetic": ("bpom_na", "halal"), "craft": ()}
# The permit to put processed food or a cosmetic on sale (izin edar, PerBPOM 8/2020); halal is a
# certificate about the product, not a licence to sell it.
REQUIRED_BY_KIND = {"food": ("bpom_md", "bpom_ml", "pirt"), "cosmetic": ("bpom_na",), "craft": ()}


class Category(Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="food")
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str = "id") -> str:
        return self.name_en if locale == "en" else self.name_id


class Product(Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        CheckConstraint("price_idr > 0", name="price_positive"),
        CheckConstraint("min_order_qty >= 1", name="min_order_positive"),
        Index("ix_products_status_created", "status", "created_at", "id"),
        Index("ix_products_status_price", "status", "price_idr", "id"),
        # a category's listing newest or cheapest first, read in order (a province's filter walks it)
        Index("ix_products_status_category_created", "status", "category_id", "created_at", "id"),
        Index("ix_products_status_category_price", "status", "category_id", "price_idr", "id"),
        # per-group counts (all products, those with a valid permit) from the index alone
        Index("ix_products_group_status", "group_id", "status", "permit_valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    slug: Mapped[str] = mapped_column(String(90))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    ingredients: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(30), default="bungkus")
    net_weight_g: Mapped[int] = mapped_column(default=0)
    shelf_life_days: Mapped[int | None]
    gtin: Mapped[str | None] = mapped_column(String(14))  # EAN-13/UPC-A/EAN-8, checked by app/catalog/gtin.py
    price_idr: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(default=0)
    min_order_qty: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # the last day any verified permit of this product holds (9999-12-31: no expiry; None: no verified
    # permit). Kept by refresh_permit_validity(), so the dashboards count products with a valid permit in
    # the same index scan as products, and expiry still needs no job: it is compared with today.
    permit_valid_until: Mapped[date | None] = mapped_column(Date)
    # export-ready (the group's choice, checked when made) and the last day that holds: the required
    # permit's expiry (9999-12-31 for crafts, which need none); the catalog's filter compares it with today
    export_ready: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    export_until: Mapped[date | None] = mapped_column(Date, index=True)
    # listed from the site without a photo or stock: a draft that shows by itself once it has both
    # (publish_when_ready() in app/catalog/listing.py); any status the group sets later clears it
    list_when_ready: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    hidden: Mapped[bool] = mapped_column(default=False)  # hidden by an officer (moderation)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    tiers: Mapped[list[PriceTier]] = relationship(
        order_by="PriceTier.min_qty", cascade="all, delete-orphan", lazy="selectin"
    )
    photos: Mapped[list[Photo]] = relationship(
        order_by="(Photo.position, Photo.id)", cascade="all, delete-orphan", lazy="selectin"
    )
    permits: Mapped[list[Permit]] = relationship(order_by="Permit.id", cascade="all, delete-orphan", lazy="selectin")

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    @property
    def shown_photos(self) -> list[Photo]:
        """The photos whose variants exist (a photo still being processed, or that failed, is not shown)."""
        return [p for p in self.photos if p.status == "ready"]

    @property
    def main_photo(self) -> Photo | None:
        shown = self.shown_photos
        return shown[0] if shown else None

    @property
    def photos_processing(self) -> bool:
        return any(p.status == "pending" for p in self.photos)

    @property
    def lapsed_permit(self) -> Permit | None:
        """The permit this product needs to be sold, when it has run out or was rejected and no other
        permit of that kind is valid: the product stays visible but cannot be bought or offered."""
        required = REQUIRED_BY_KIND.get(self.category.kind, ())
        mine = [p for p in self.permits if p.type in required]
        if any(p.effective_status == "verified" for p in mine):
            return None
        return next((p for p in mine if p.effective_status in ("expired", "rejected")), None)

    @property
    def listing_missing(self) -> list[str]:
        """What a product lacks to be shown in the catalog: "photo" (none ready yet) and "stock" (0)."""
        missing = [] if self.shown_photos else ["photo"]
        return missing + ([] if self.stock > 0 else ["stock"])

    @property
    def waiting_to_list(self) -> bool:
        """A draft that shows by itself once nothing is missing."""
        return self.status == "draft" and self.list_when_ready

    @property
    def needs_permit(self) -> bool:
        """Whether its category needs a permit before it is sold (food, cosmetics; crafts need none)."""
        return bool(REQUIRED_BY_KIND.get(self.category.kind, ()))

    @property
    def missing_permit(self) -> tuple[str, ...]:
        """The permit types of which its category needs one before it is sold, when it has none of them on
        file yet (empty: none needed, or one is there)."""
        required = REQUIRED_BY_KIND.get(self.category.kind, ())
        return () if any(p.type in required for p in self.permits) else required

    @property
    def is_public(self) -> bool:
        return self.status == "active" and not self.hidden and self.group.status == "verified"

    def refresh_permit_validity(self) -> None:
        days = [p.expires_on or date.max for p in self.permits if p.status == "verified"]
        self.permit_valid_until = max(days) if days else None
        self.export_until = self.export_valid_until() if self.export_ready else None

    def export_valid_until(self) -> date | None:
        """How long its category's permit lets it be listed for export (None: no valid permit of that kind)."""
        required = REQUIRED_BY_KIND.get(self.category.kind, ())
        if not required:
            return date.max
        days = [p.expires_on or date.max for p in self.permits if p.type in required and p.status == "verified"]
        return max(days) if days else None

    @property
    def is_export_ready(self) -> bool:
        return self.export_until is not None and self.export_until >= today_wib()

    def unit_price_for(self, quantity: int) -> int:
        """The price per unit at this quantity: the best tier reached, else the list price."""
        price = self.price_idr
        for tier in self.tiers:
            if quantity >= tier.min_qty:
                price = tier.unit_price_idr
        return price


class PriceTier(Model):
    __tablename__ = "price_tiers"
    __table_args__ = (
        UniqueConstraint("product_id", "min_qty"),
        CheckConstraint("min_qty >= 2", name="min_qty_at_least_two"),
        CheckConstraint("unit_price_idr > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    min_qty: Mapped[int]
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)


class PhotoSizes:
    """The widths a photo's variants were made at, and its height at one of them: a Photo's, and the
    photo a product's card keeps (app/catalog/cards.py)."""

    if TYPE_CHECKING:
        width: int
        height: int
        keys: dict

    def widths(self) -> list[int]:
        return sorted(int(w) for w in self.keys)

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


class Photo(PhotoSizes, Model):
    __tablename__ = "photos"
    # the same file sent twice for a product (a client retrying an upload) is one photo
    __table_args__ = (UniqueConstraint("product_id", "content_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    width: Mapped[int]
    height: Mapped[int]
    # {"320": "products/ab/<random>.webp", ...}: storage keys by width (empty until the variants exist)
    keys: Mapped[dict] = mapped_column(JSON)
    # ready: shown; pending: the upload is stored (original_key, private) and a job makes the variants;
    # failed: the image could not be decoded: never shown, the group is told to upload again
    status: Mapped[str] = mapped_column(String(10), default="ready", server_default="ready")
    original_key: Mapped[str | None] = mapped_column(String(200))
    content_sha256: Mapped[str | None] = mapped_column(String(64))  # of the file as uploaded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StagedUpload(Model):
    """A photo sent with a new-product form that came back with something to correct: kept (privately,
    under originals/) and named on the form again by `token`, so the member does not pick it again.
    Used when the product is saved; left ones go after a day (app/catalog/listing.py)."""

    __tablename__ = "staged_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Permit(Model):
    __tablename__ = "permits"
    __table_args__ = (UniqueConstraint("type", "number", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    document_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))
    expiry_notified_on: Mapped[date | None] = mapped_column(Date)  # the group was told it expires soon
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def effective_status(self) -> str:
        """Expired shows on its own once the date has passed: no job has to run."""
        if self.expires_on and self.status != "rejected" and self.expires_on < today_wib():
            return "expired"
        return self.status


PRICE_FLAG_STATUSES = ("open", "accepted", "rejected")


class PriceFlag(Model):
    """A price far above what other groups ask in its category (app/catalog/prices.py), put before an
    officer. The product stays on sale; until an officer accepts the price, orders with a line above
    `threshold_idr` are held out of every sales figure (app/orders/counting.py). Accepting covers the
    prices up to `price_idr`; a higher one later is a new flag."""

    __tablename__ = "price_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    price_idr: Mapped[int] = mapped_column(BigInteger)  # the highest unit price asked (list or tier)
    threshold_idr: Mapped[int] = mapped_column(BigInteger)  # the limit it went above
    median_idr: Mapped[int | None] = mapped_column(BigInteger)  # other groups' median in the category
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))

    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


class SearchTerm(Model):
    """Every word the catalog's texts contain: the vocabulary that misspelt words are matched to."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(40), primary_key=True)


class Lot(Model):
    """Stock made on one day that keeps until one day: the product's stock is the sum of its lots (and any
    stock counted before it had lots); orders take the lot that expires first (app/catalog/lots.py)."""

    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="lot_quantity_nonnegative"),
        Index("ix_lots_product_expires", "product_id", "expires_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(default=0)  # what is left of it
    added_quantity: Mapped[int] = mapped_column(default=0)  # what was added
    produced_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LotTake(Model):
    """What one order line (or a market sale: no line) took from one lot; given back when the order is
    cancelled."""

    __tablename__ = "lot_takes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int]

    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)
