"""Reconciliation's tables: each run of the daily comparison with the providers and the platform's bank,
each difference it found (one row per difference, kept open for an admin until explained or gone), and the
lines of the bank statements an admin uploaded."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

from .models import LedgerPosting


class DifferenceKind(StrEnum):
    """What is wrong (words and what to do: labels.DIFFERENCE_LABELS)."""

    MISSING_IN_LEDGER = "missing_in_ledger"  # the provider (or the bank) has money the ledger lacks
    UNKNOWN_TO_PROVIDER = "unknown_to_provider"  # a ledger posting the provider (or the bank) does not know
    AMOUNT_DIFFERS = "amount_differs"  # both know it, with different amounts


class DifferenceStatus(StrEnum):
    OPEN = "open"  # waiting for an admin
    EXPLAINED = "explained"  # an admin wrote why (a note): not shown as open again
    RESOLVED = "resolved"  # a later run found the two agree (a late webhook, a transfer confirmed)


class ReconciliationRun(Model):
    __tablename__ = "ledger_reconciliation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # per provider: {"checked", "matched", "differences", "error"}; the window compared
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class Difference(Model):
    """One difference between the ledger and a provider. `key` names it (kind:provider:reference), so the
    next day's run finds the same difference again instead of adding a second row."""

    __tablename__ = "ledger_differences"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    provider: Mapped[str] = mapped_column(String(20))  # stripe | midtrans | bank
    kind: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(160))  # the ledger's source (stripe:pi_…) or the bank line
    ledger_idr: Mapped[int | None] = mapped_column(BigInteger)
    provider_idr: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10), default=DifferenceStatus.OPEN, index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    explained_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    explained_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_reconciliation_runs.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_reconciliation_runs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BankLine(Model):
    """A line of the platform's bank statement, as an admin uploaded it. `fingerprint` (date, amount,
    description and its place among equal lines) makes uploading the same statement twice add nothing."""

    __tablename__ = "ledger_bank_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    booked_on: Mapped[date] = mapped_column(Date, index=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)  # + money in, - money out
    description: Mapped[str] = mapped_column(String(255))
    matched_source: Mapped[str | None] = mapped_column(String(160), index=True)  # the ledger's source it is
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# reconciliation looks postings up by their source (stripe:pi_…, transfer:checkout:12)
Index("ix_ledger_postings_source", LedgerPosting.source)
