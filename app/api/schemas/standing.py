"""Shapes of /api/v1: standing orders (a business buyer's repeating order) and their proposed orders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import GroupName, IdIn, In, Out, Qty


class StandingLineIn(In):
    product_id: IdIn
    quantity: int = Qty


class StandingOrderIn(In):
    lines: list[StandingLineIn] = Field(min_length=1, max_length=20, description="Products of one group")
    frequency: Literal["weekly", "fortnightly", "monthly"]
    weekday: int | None = Field(
        default=None, ge=1, le=7, description="ISO weekday, 1 Monday … 7 Sunday (weekly, fortnightly)"
    )
    day_of_month: int | None = Field(default=None, ge=1, le=28, description="Monthly: the day of the month")
    address_id: IdIn = Field(description="One of the organisation's delivery addresses (outlets)")
    po_number: str | None = Field(default=None, max_length=40, description="The buyer's own purchase order number")
    lead_days: int = Field(default=3, ge=1, le=6, description="The group gets the proposed order this many days before")


class ProposalLineIn(In):
    product_id: IdIn
    quantity: int = Field(ge=0, le=1_000_000, description="Down from the proposal's; 0 leaves the product out")
    unit_price_idr: int | None = Field(default=None, ge=100, le=1_000_000_000)


class ConfirmProposalIn(In):
    lines: list[ProposalLineIn] = Field(default_factory=list, max_length=20)


class StandingLineOut(Out):
    product_id: int
    name: str
    unit: str
    quantity: int


class ProposalLineOut(StandingLineOut):
    unit_price_idr: int


class ProposalOut(Out):
    id: int
    delivery_date: date
    status: Literal["proposed", "confirmed", "cancelled"]
    lines: list[ProposalLineOut]
    checkout_id: int | None = Field(description="The order's checkout, once confirmed")


class StandingOrderOut(Out):
    id: int
    number: str
    organisation_id: int
    group: GroupName
    status: Literal["active", "paused", "ended"]
    frequency: Literal["weekly", "fortnightly", "monthly"]
    weekday: int | None
    day_of_month: int | None
    lead_days: int
    po_number: str | None
    address_id: int | None
    next_delivery: date | None = Field(description="The next delivery day (none when paused or ended)")
    lines: list[StandingLineOut]
    proposals: list[ProposalOut] = Field(description="Its cycles, the latest delivery first")
    created_at: datetime


class StandingOrderList(Out):
    items: list[StandingOrderOut]
