"""Shapes of /api/v1: business buyers, quotes and offers, invoices on terms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import GroupName, IdIn, In, Out

OrgType = Literal["hotel", "supermarket", "shop", "restaurant", "office", "exporter", "government", "soe", "other"]


class OrganisationIn(In):
    name: str = Field(max_length=160)
    type: OrgType
    npwp: str | None = Field(default=None, max_length=25)
    province: str = Field(max_length=8)
    regency: str = Field(max_length=8)
    address: str | None = Field(default=None, max_length=255)


class StaffIn(In):
    email: str = Field(max_length=254)


class VerifyOrgIn(In):
    payment_terms_days: Literal[0, 14, 30] = 0


class OrganisationOut(Out):
    id: int
    name: str
    type: str
    npwp: str | None
    province: str
    regency: str
    status: str
    payment_terms_days: int
    created_at: datetime


class QuoteIn(In):
    product_id: IdIn | None = None
    category: str | None = Field(default=None, max_length=40)
    description: str = Field(max_length=2000)
    quantity: int = Field(ge=1, le=1_000_000)
    needed_by: date
    delivery_regency: str | None = Field(
        default=None, max_length=8, description="Required, except for an export quote (the group's own place)"
    )
    export: bool = Field(
        default=False,
        description="An export quote for an export-ready product: in US dollars at "
        "the admin's rate, with incoterm and destination_country",
    )
    incoterm: Literal["FOB", "CIF"] | None = None
    destination_country: str | None = Field(default=None, max_length=2, description="ISO 3166-1 alpha-2, e.g. MY")
    destination_port: str | None = Field(default=None, max_length=120, description="Required for CIF")


class OfferIn(In):
    unit_price_idr: int = Field(ge=100, le=1_000_000_000)
    quantity: int = Field(ge=1, le=1_000_000)
    lead_time_days: int = Field(ge=0, le=365)
    valid_until: date
    product_id: IdIn | None = Field(default=None, description="Required when the quote asks for a category")
    min_quantity: int | None = Field(
        default=None, ge=1, le=1_000_000, description="The least the buyer may take of the offer (default: any part)"
    )
    from_stock: bool = Field(
        default=True,
        description="true: from the stock the group has now (checked, taken on "
        "acceptance); false: made to order within lead_time_days (>= 1), no stock drawn",
    )


class AcceptIn(In):
    also: list[IdIn] = Field(default_factory=list, max_length=20, description="More offers accepted together (pooled)")
    address_id: IdIn | None = None
    quantity: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="Take part of this offer (at least its min_quantity); default: all",
    )


class OfferOut(Out):
    id: int
    group: GroupName
    product_id: int
    unit_price_idr: int
    quantity: int
    lead_time_days: int
    valid_until: date
    status: str
    from_stock: bool
    min_quantity: int | None = Field(default=None, description="The least the buyer may take (null: any part)")
    accepted_quantity: int | None = Field(default=None, description="What the buyer took, once accepted")
    goods_idr: int
    shipping_idr: int = Field(description="Delivery to the quote's kabupaten/kota, as the order will charge it")
    total_idr: int


class QuoteOut(Out):
    id: int
    number: str
    purchase_number: str
    organisation: dict
    product_id: int | None
    category: str | None
    description: str
    quantity: int
    needed_by: date
    delivery_regency: str
    status: str
    groups_asked: int
    offers: list[OfferOut]
    checkout_id: int | None = Field(description="The checkout of the latest acceptance")
    accepted_quantity: int
    uncovered_quantity: int = Field(description="Asked but not yet covered by accepted offers")
    currency: Literal["IDR", "USD"] = Field(default="IDR", description="USD: an export quote (offers still in rupiah)")
    idr_per_usd: int | None = Field(default=None, description="The rate when an export quote was asked")
    incoterm: Literal["FOB", "CIF"] | None = None
    destination_country: str | None = None
    destination_port: str | None = None


class InvoiceOut(Out):
    id: int
    number: str
    order_id: int
    organisation_id: int
    amount_idr: int
    issued_on: date
    due_on: date
    status: str
    overdue: bool
    pdf_url: str
