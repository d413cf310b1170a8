"""Shapes of /api/v1: complaints about orders, and their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .common import In, Out

Reason = Literal["damaged", "wrong_item", "missing", "expired", "not_as_described", "not_received"]
Resolution = Literal["refund", "partial_refund", "replace", "reject"]


class ComplaintIn(In):
    reason: Reason
    description: str = Field(min_length=1, max_length=2000)
    quantity: int | None = Field(default=None, ge=1, le=1_000_000, description="How many items are concerned")


class AnswerIn(In):
    resolution: Resolution
    amount_idr: int | None = Field(
        default=None, ge=1, description="partial_refund: the rupiah given back (less than what is left to refund)"
    )
    note: str | None = Field(default=None, max_length=1000, description="Required for reject: the reason")


class ComplaintAcceptIn(In):
    """Where a refund made by hand goes (the buyer paid by bank transfer or virtual account): all three or none."""

    bank_name: str | None = Field(default=None, max_length=60)
    account_number: str | None = Field(default=None, max_length=40)
    account_name: str | None = Field(default=None, max_length=120)


class EscalateIn(In):
    note: str | None = Field(default=None, max_length=1000)


class ComplaintCreated(Out):
    id: int
    order_id: int
    status: Literal["open", "answered", "escalated", "resolved"]
    reason: Reason


class MessageOut(Out):
    at: datetime
    author: Literal["buyer", "group", "admin", "system"]
    action: Literal["opened", "answered", "accepted", "escalated", "decided", "refunded", "refund_failed"]
    resolution: Resolution | None = None
    amount_idr: int | None = None
    text: str | None = None


class ComplaintPhotoOut(Out):
    id: int
    url: str = Field(description="The photo, for the buyer, the order's group and admins (private)")


class ComplaintOut(ComplaintCreated):
    description: str
    quantity: int | None = None
    resolution: Resolution | None = Field(default=None, description="The answer on the table, then the outcome")
    amount_idr: int | None = Field(default=None, description="The refund proposed or decided")
    refund_idr: int | None = Field(default=None, description="What was refunded, once resolved")
    refund_state: Literal["sending", "sent", "failed", "by_hand", "paid"] | None = None
    photos: list[ComplaintPhotoOut]
    messages: list[MessageOut]
