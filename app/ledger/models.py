"""The ledger's tables: accounts (with a kept balance), postings (one movement of money, once per key) and
their entries (signed amounts that add up to zero). Entries are never changed or deleted."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model
from app.groups.models import Group


class PostingKind(StrEnum):
    """What a posting records (the API's `kind`; words in labels.KIND_LABELS)."""

    SALE = "sale"  # an order paid through the platform (pending), then completed (available)
    FEE = "fee"  # the platform's fee and the provider's cost, and their return with a refund
    REFUND = "refund"  # a paid order's money given back to the buyer
    PAYOUT = "payout"  # available money sent to the group's bank account
    PAYOUT_RETURNED = "payout_returned"  # a payout that failed: available again
    DIRECT = "direct"  # paid straight to the group (its own account, cash at the stand)
    SHIPPING = "shipping"  # a courier the platform booked and paid for the group (a return's pick-up)
    ADJUSTMENT = "adjustment"  # a correction by an admin (a new posting, never an edit)


class EntryState(StrEnum):
    PENDING = "pending"  # paid, the order not yet completed
    AVAILABLE = "available"  # everything else (what may be paid out, or a platform account's money)


# A group's accounts, by what the money is to the group. The platform's own accounts by code.
PENDING, AVAILABLE, DIRECT = "pending", "available", "direct"
PLATFORM_FEES = "platform:fees"  # the platform's fees (and the provider's costs groups bear)
PROVIDER_COSTS = "platform:provider_costs"  # what the payment providers keep (the platform's expense)
PAYOUTS_IN_TRANSIT = "transit:payouts"  # sent to a group's bank, not yet confirmed
PAYOUTS_BY_IRIS = "clearing:iris"  # Midtrans Payouts' balance (topped up from the platform's bank), what Iris sent
COURIERS_BY_BITESHIP = "clearing:biteship"  # the platform's Biteship balance, what couriers booked there cost
EXTERNAL_DIRECT = "external:direct"  # the other side of money that went straight to a group
CLEARING = {"stripe": "clearing:stripe", "midtrans": "clearing:midtrans", "bank": "clearing:bank"}


def group_account(group_id: int, part: str) -> str:
    """The code of a group's account: group:<id>:pending | available | direct."""
    return f"group:{group_id}:{part}"


class LedgerAccount(Model):
    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    # the sum of the account's entries, kept for speed (updated in the posting's transaction; `flask ledger
    # check` proves the two agree). Signed: + is what the account's holder is owed
    balance_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerPosting(Model):
    """One movement of money. `key` is unique: a replayed webhook, a retried job or two servers at once
    post it once. order_id and payout_id are plain numbers, not foreign keys: the ledger outlives rows."""

    __tablename__ = "ledger_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(160))  # stripe:pi_…, midtrans:…, transfer:…, invoice:…
    order_id: Mapped[int | None] = mapped_column(index=True)
    payout_id: Mapped[int | None] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerEntry(Model):
    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_account_id_id", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("ledger_postings.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount_idr: Mapped[int] = mapped_column(BigInteger)  # signed: + credits the account's holder
    state: Mapped[str] = mapped_column(String(10), default=EntryState.AVAILABLE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayoutStatus(StrEnum):
    """requested (the money left available at once) → approved (by an admin) → sent | failed (money back)."""

    REQUESTED = "requested"
    APPROVED = "approved"
    SENT = "sent"
    FAILED = "failed"


class Payout(Model):
    """Money the chair or the treasurer asked to be sent to the group's bank account. The account is copied
    when she asks: a later change of the group's account never redirects money already asked for."""

    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    bank_name: Mapped[str] = mapped_column(String(60))
    account_number: Mapped[str] = mapped_column(String(40))
    account_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default=PayoutStatus.REQUESTED, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reference: Mapped[str | None] = mapped_column(String(120))  # the bank's reference (or Iris's reference_no)
    failure_reason: Mapped[str | None] = mapped_column(String(255))
    provider: Mapped[str | None] = mapped_column(String(10))  # "iris" when Midtrans Payouts sends it
    provider_id: Mapped[str | None] = mapped_column(String(60), unique=True)  # Iris's reference_no
    provider_status: Mapped[str | None] = mapped_column(String(20))  # queued, approved, processed, completed, failed
    checked_name: Mapped[str | None] = mapped_column(String(120))  # the name the bank gave (account validation)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class PayoutSchedule(Model):
    """A group that chose a weekly payout: every week its available money is asked for by itself (an admin
    still approves it, as any payout). `last_on`: the day of the last automatic request."""

    __tablename__ = "payout_schedules"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    weekly: Mapped[bool] = mapped_column(default=False)
    last_on: Mapped[date | None]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
