"""Shapes of /api/v1: a group's money (the ledger)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .common import Out


class BalanceOut(Out):
    pending_idr: int = Field(description="Paid through the platform, the orders not yet completed")
    available_idr: int = Field(
        description="Completed orders' net, less refunds and payouts; may be below zero after a refund"
    )
    paid_out_idr: int = Field(description="Sent to the group's bank account")
    direct_idr: int = Field(
        description="Paid straight to the group (its own account, cash at the stand): never paid out"
    )
    fees_idr: int = Field(description="The fees taken from the group's orders")


class LedgerItemOut(Out):
    id: int
    at: datetime
    kind: Literal["sale", "fee", "refund", "payout", "payout_returned", "direct", "adjustment"]
    order_id: int | None = None
    payout_id: int | None = None
    amount_idr: int = Field(description="Signed: + is the group's")
    state: Literal["pending", "available"]
    description: str


class LedgerList(Out):
    items: list[LedgerItemOut]
    next_cursor: str | None
