"""Shapes of /api/v1: a group's sales book (sales outside the platform) and sales statements for lenders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import IdIn, In, Out


class OfflineSaleLineIn(In):
    product_id: IdIn | None = Field(default=None, description="One of the group's products; or give a name")
    name: str | None = Field(default=None, max_length=120)
    quantity: int = Field(ge=1, le=100_000)
    amount_idr: int = Field(ge=0, le=1_000_000_000, description="What the line brought in, in all")


class OfflineSaleIn(In):
    sold_on: date
    place: str = Field(default="", max_length=120, description="Where; may be left empty when event_id is given")
    event_id: IdIn | None = Field(
        default=None,
        description="Sold at this event the group took part in (accepted); sold_on must fall within its days",
    )
    note: str | None = Field(default=None, max_length=500)
    reduce_stock: bool = Field(
        default=True,
        description="Take the lines' quantities off the named products' stock (the default); false to leave it",
    )
    lines: list[OfflineSaleLineIn] = Field(min_length=1, max_length=20)


class OfflineSaleLineOut(Out):
    product_id: int | None
    name: str
    quantity: int
    amount_idr: int


class OfflineReviewOut(Out):
    status: Literal["open", "accepted", "rejected"]
    limit_idr: int | None = Field(description="The month's declared total it went above")
    reason: str | None


class OfflineSaleOut(Out):
    id: int
    sold_on: date
    place: str
    event_id: int | None
    note: str | None
    reduce_stock: bool
    total_idr: int
    current: bool = Field(description="false: corrected, replaced by replaced_by_id")
    replaced_by_id: int | None
    correction_reason: str | None
    lines: list[OfflineSaleLineOut]
    review: OfflineReviewOut | None = Field(
        default=None,
        description="Far above the group's history: an officer checks it; until accepted it counts in no figure",
    )


class SalesMonthOut(Out):
    month: str
    offline_idr: int = Field(
        description="Declared by the group: sales outside the platform (entries waiting for an officer left out)"
    )
    platform_idr: int = Field(
        description="Goods of the group's orders on the platform that count as sales: "
        "seen_idr + group_received_idr + invoiced_idr"
    )
    platform_orders: int
    seen_idr: int = Field(default=0, description="Of platform_idr, money the platform itself saw arrive")
    group_received_idr: int = Field(
        default=0,
        description="Of platform_idr, money the group says it received "
        "(transfer to its own account, cash at its stand, invoice it marked paid)",
    )
    invoiced_idr: int = Field(default=0, description="Of platform_idr, invoiced on terms and not paid yet")
    held_idr: int = Field(
        default=0,
        description="Orders and declared entries waiting for an officer's check (or refused): in no figure above",
    )
    items: list[OfflineSaleOut]


class StatementIn(In):
    months: Literal[3, 6, 12]


class StatementOut(Out):
    code: str
    state: Literal["valid", "expired", "revoked", "altered"]
    months: int
    period_start: date
    period_end: date
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    snapshot: dict = Field(
        description="The figures as issued: group, months and totals, buyers, partnerships, "
        "products. From version 2: seen_idr (money the platform itself saw arrive: what it "
        "vouches for), group_received_idr (money the group says it received), invoiced_idr "
        "(invoiced, not paid yet), offline_idr (declared by the group), held_idr (waiting for an "
        "officer: in no other figure); platform_idr = seen + group_received + invoiced"
    )
    snapshot_sha256: str
    verify_url: str
    version: int = Field(default=1, description="The snapshot's version: 1 did not keep the kinds of money apart")
    vouched_idr: int | None = Field(
        default=None,
        description="What the platform vouches for: the money it saw "
        "arrive in the period (null for version 1: no figure is vouched for)",
    )
