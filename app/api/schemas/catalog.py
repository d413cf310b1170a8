"""Shapes of /api/v1: products, their tiers, permits and photos; categories and regions."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .common import In, Out
from .groups import GroupRef


class TierIn(In):
    min_qty: int = Field(ge=2, le=1_000_000)
    unit_price_idr: int = Field(ge=1, le=1_000_000_000)


PermitType = Literal["bpom_md", "bpom_ml", "bpom_na", "pirt", "halal"]


class PermitIn(In):
    type: PermitType
    number: str = Field(max_length=60)
    issued_on: date | None = None
    expires_on: date | None = None
    status: Literal["in_process", "submitted"] = "submitted"


class ProductIn(In):
    name: str = Field(max_length=120)
    category: str = Field(max_length=40, description="A category slug from GET /categories")
    description: str = Field(default="", max_length=5000)
    ingredients: str | None = Field(default=None, max_length=2000)
    unit: str = Field(default="bungkus", max_length=30)
    net_weight_g: int = Field(ge=1, le=1_000_000)
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    price_idr: int = Field(ge=100, le=1_000_000_000)
    stock: int = Field(default=0, ge=0, le=1_000_000)
    min_order_qty: int = Field(default=1, ge=1, le=1_000_000)
    price_tiers: list[TierIn] = Field(default_factory=list, max_length=5)
    permits: list[PermitIn] = Field(default_factory=list, max_length=5)
    status: Literal["draft", "active", "archived"] = "draft"


class ProductPatch(In):
    name: str | None = Field(default=None, max_length=120)
    category: str | None = Field(default=None, max_length=40)
    description: str | None = Field(default=None, max_length=5000)
    ingredients: str | None = Field(default=None, max_length=2000)
    unit: str | None = Field(default=None, max_length=30)
    net_weight_g: int | None = Field(default=None, ge=1, le=1_000_000)
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    price_idr: int | None = Field(default=None, ge=100, le=1_000_000_000)
    stock: int | None = Field(default=None, ge=0, le=1_000_000)
    min_order_qty: int | None = Field(default=None, ge=1, le=1_000_000)
    price_tiers: list[TierIn] | None = Field(default=None, max_length=5)
    permits: list[PermitIn] | None = Field(default=None, max_length=5)
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
                    "failed: the file could not be read and is never shown")
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
