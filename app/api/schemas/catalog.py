"""Shapes of /api/v1: products, their tiers, permits and photos; categories and regions."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from app.catalog import limits

from .common import In, Out
from .groups import GroupRef


class TierIn(In):
    min_qty: int = Field(ge=limits.TIER_MIN_QTY.low, le=limits.TIER_MIN_QTY.high)
    unit_price_idr: int = Field(ge=limits.PRICE_IDR.low, le=limits.PRICE_IDR.high)


PermitType = Literal["bpom_md", "bpom_ml", "bpom_na", "pirt", "halal"]


class PermitIn(In):
    type: PermitType
    number: str = Field(max_length=limits.PERMIT_NUMBER_MAX)
    issued_on: date | None = None
    expires_on: date | None = None
    status: Literal["in_process", "submitted"] = "submitted"


GTIN_HELP = "EAN-13, UPC-A or EAN-8 (spaces and dashes dropped); a wrong check digit is 422"


class ProductIn(In):
    name: str = Field(min_length=limits.NAME.low, max_length=limits.NAME.high)
    category: str = Field(max_length=limits.CATEGORY_SLUG_MAX, description="A category slug from GET /categories")
    description: str = Field(default="", max_length=limits.DESCRIPTION_MAX)
    ingredients: str | None = Field(default=None, max_length=limits.INGREDIENTS_MAX)
    unit: str = Field(default="bungkus", min_length=limits.UNIT.low, max_length=limits.UNIT.high)
    net_weight_g: int = Field(ge=limits.NET_WEIGHT_G.low, le=limits.NET_WEIGHT_G.high)
    shelf_life_days: int | None = Field(default=None, ge=limits.SHELF_LIFE_DAYS.low, le=limits.SHELF_LIFE_DAYS.high)
    gtin: str | None = Field(default=None, max_length=20, description=GTIN_HELP)
    price_idr: int = Field(ge=limits.PRICE_IDR.low, le=limits.PRICE_IDR.high)
    stock: int = Field(default=0, ge=limits.STOCK.low, le=limits.STOCK.high)
    min_order_qty: int = Field(default=1, ge=limits.MIN_ORDER_QTY.low, le=limits.MIN_ORDER_QTY.high)
    price_tiers: list[TierIn] = Field(default_factory=list, max_length=limits.MAX_TIERS)
    permits: list[PermitIn] = Field(default_factory=list, max_length=limits.MAX_PERMITS)
    status: Literal["draft", "active", "archived"] = "draft"


class ProductPatch(In):
    name: str | None = Field(default=None, min_length=limits.NAME.low, max_length=limits.NAME.high)
    category: str | None = Field(default=None, max_length=limits.CATEGORY_SLUG_MAX)
    description: str | None = Field(default=None, max_length=limits.DESCRIPTION_MAX)
    ingredients: str | None = Field(default=None, max_length=limits.INGREDIENTS_MAX)
    unit: str | None = Field(default=None, min_length=limits.UNIT.low, max_length=limits.UNIT.high)
    net_weight_g: int | None = Field(default=None, ge=limits.NET_WEIGHT_G.low, le=limits.NET_WEIGHT_G.high)
    shelf_life_days: int | None = Field(default=None, ge=limits.SHELF_LIFE_DAYS.low, le=limits.SHELF_LIFE_DAYS.high)
    gtin: str | None = Field(default=None, max_length=20, description=GTIN_HELP)
    price_idr: int | None = Field(default=None, ge=limits.PRICE_IDR.low, le=limits.PRICE_IDR.high)
    stock: int | None = Field(default=None, ge=limits.STOCK.low, le=limits.STOCK.high)
    min_order_qty: int | None = Field(default=None, ge=limits.MIN_ORDER_QTY.low, le=limits.MIN_ORDER_QTY.high)
    price_tiers: list[TierIn] | None = Field(default=None, max_length=limits.MAX_TIERS)
    permits: list[PermitIn] | None = Field(default=None, max_length=limits.MAX_PERMITS)
    status: Literal["draft", "active", "archived"] | None = None


class TierOut(Out):
    min_qty: int
    unit_price_idr: int


class PermitOut(Out):
    id: int
    type: PermitType
    number: str
    status: Literal["in_process", "submitted", "verified", "rejected", "expired"]
    expires_on: date | None


class PhotoOut(Out):
    id: int
    status: Literal["ready", "processing", "failed"] = Field(
        description="processing: stored, its sizes are being made (url null, variants empty) until ready; "
        "failed: the file could not be read and is never shown"
    )
    url: str | None
    width: int
    height: int
    variants: dict[str, str]


class Rating(Out):
    average: float | None
    count: int


class ProductItem(Out):
    id: int
    slug: str
    name: str
    category: str
    price_idr: int
    unit: str
    net_weight_g: int
    stock: int
    min_order_qty: int
    price_tiers: list[TierOut]
    group: GroupRef
    permits: list[PermitOut]
    photos: list[PhotoOut]
    rating: Rating
    export_ready: bool = Field(default=False, description="Listed for export: English page at /export/p/{id}")


class ProductDetail(ProductItem):
    description: str
    ingredients: str | None
    shelf_life_days: int | None
    gtin: str | None = Field(default=None, description="EAN-13, UPC-A or EAN-8 digits, null when not set")
    status: Literal["draft", "active", "archived"]


class ProductList(Out):
    items: list[ProductItem]
    next_cursor: str | None


class CategoryOut(Out):
    slug: str
    name: str


class CategoryList(Out):
    items: list[CategoryOut]


class RegionOut(Out):
    code: str
    name: str


class RegionList(Out):
    items: list[RegionOut]


class ProvinceOut(Out):
    code: str
    name: str
    regencies: list[RegionOut]
