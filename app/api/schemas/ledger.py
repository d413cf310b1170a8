"""Shapes of /api/v1: a group's money (the ledger)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import In, Out


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


class PayoutIn(In):
    amount_idr: int = Field(description="Whole rupiah, at least PAYOUT_MIN_IDR and at most the available money")


class PayoutApproveIn(In):
    otp: str | None = Field(
        default=None, max_length=12, description="The approver's authenticator code, where Midtrans Payouts asks one"
    )


class PayoutSentIn(In):
    reference: str = Field(min_length=1, max_length=120, description="The bank's reference of the transfer")


class PayoutFailedIn(In):
    reason: str = Field(min_length=1, max_length=255)


class PayoutBankOut(Out):
    name: str
    account_number: str
    account_name: str


class PayoutGroupOut(Out):
    slug: str
    name: str


class PayoutOut(Out):
    id: int
    group: PayoutGroupOut
    amount_idr: int
    status: Literal["requested", "approved", "sent", "failed"]
    bank: PayoutBankOut = Field(description="The group's bank account as it was when the payout was asked for")
    reference: str | None = Field(description="The bank's reference (or Midtrans Payouts' reference_no) once sent")
    failure_reason: str | None
    provider: Literal["iris"] | None = Field(description="iris: Midtrans Payouts sends it; null: an admin by hand")
    requested_at: datetime
    approved_at: datetime | None
    sent_at: datetime | None
    failed_at: datetime | None


class PayoutList(Out):
    items: list[PayoutOut]
    next_cursor: str | None


class IrisNotificationIn(BaseModel):
    """Midtrans Payouts' notification as its documentation describes it (for the OpenAPI document: the view
    checks Iris-Signature over the raw body first)."""

    model_config = ConfigDict(extra="allow")
    reference_no: str | None = None
    amount: str | None = None
    status: str | None = None
    updated_at: str | None = None
    error_code: str | None = None
    error_message: str | None = None
