"""Reconciliation: what the providers say they settled, and what the platform's bank received, compared with
the ledger each day (the job `ledger.reconcile`, `flask ledger reconcile`). Each difference is kept as a row
for an admin (/admin/ledger): money a provider has that the ledger lacks, a ledger posting the provider does
not know, amounts that differ. The next run finds the same difference again (its key) and closes those that
are gone (a late webhook posted, a transfer confirmed).

The ledger knows no provider: each provider's side is a function the payments area registers
(`register_source`), answering in plain values (`Settled`) for the ledger's references (a posting's source,
"stripe:pi_…", "midtrans:<transaction id>") and for every payment it settled since a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.core import jobs
from app.core.types import utcnow
from app.extensions import db

from .models import CLEARING, LedgerAccount, LedgerEntry, LedgerPosting, PostingKind
from .recon_models import Difference, DifferenceKind, DifferenceStatus, ReconciliationRun

log = logging.getLogger(__name__)
DAYS = 3  # how far back each run looks at the providers' payments (a day, and room for late webhooks)


@dataclass
class Settled:
    """What a provider says of one payment."""

    reference: str  # the ledger's source for it: stripe:pi_…, midtrans:<transaction id>
    collected_idr: int  # what it took from the buyer (0: nothing: not paid, expired)
    refunded_idr: int | None = None  # what it gave back (None: it does not say)
    known: bool = True  # False: the provider has no such payment
    status: str = ""  # the provider's own word (succeeded, settlement, …)


# provider -> its side: (since, the references the ledger has) -> what it says of those and of every payment
# it settled since; None when the provider is not configured
Source = Callable[[datetime, set[str]], list[Settled] | None]
SOURCES: dict[str, Source] = {}


def register_source(provider: str, source: Source) -> None:
    SOURCES[provider] = source


@dataclass
class LedgerSide:
    collected_idr: int = 0
    refunded_idr: int = 0


@dataclass
class Found:
    """A difference found by a run."""

    kind: str
    reference: str
    ledger_idr: int | None
    provider_idr: int | None
    detail: str = ""


# ------------------------------------------------------------------ the ledger's side


def ledger_side(provider: str, *, since: datetime | None = None, refs: set[str] | None = None) -> dict[str, LedgerSide]:
    """What the ledger says each reference of a provider collected (its sale postings on the provider's
    clearing account) and gave back (the refunds of the same orders): those posted since `since`, and
    those named in `refs`."""
    clearing = CLEARING[provider]
    where = []
    if since is not None:
        where.append(LedgerPosting.created_at >= since)
    if refs:
        where.append(LedgerPosting.source.in_(sorted(refs)))
    if not where:
        return {}
    rows = db.session.execute(
        select(LedgerPosting.source, LedgerPosting.order_id, LedgerEntry.amount_idr)
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.code == clearing, LedgerPosting.kind == PostingKind.SALE, db.or_(*where))
    ).all()
    sides: dict[str, LedgerSide] = {}
    source_of: dict[int, str] = {}
    for source, order_id, amount in rows:
        sides.setdefault(source, LedgerSide()).collected_idr -= int(amount)
        if order_id is not None:
            source_of[order_id] = source
    if source_of:
        for order_id, amount in db.session.execute(
            select(LedgerPosting.order_id, LedgerEntry.amount_idr)
            .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(
                LedgerAccount.code == clearing,
                LedgerPosting.kind == PostingKind.REFUND,
                LedgerPosting.order_id.in_(sorted(source_of)),
            )
        ):
            sides[source_of[order_id]].refunded_idr += int(amount)
    return sides


# ------------------------------------------------------------------ comparing


def compare(ledger: dict[str, LedgerSide], said: list[Settled]) -> tuple[list[Found], int]:
    """The differences between the ledger and a provider, and how many references agree."""
    by_ref = {s.reference: s for s in said}
    found: list[Found] = []
    for one in said:
        if one.known and one.collected_idr > 0 and one.reference not in ledger:
            found.append(Found(DifferenceKind.MISSING_IN_LEDGER, one.reference, None, one.collected_idr, one.status))
    matched = 0
    for ref, side in sorted(ledger.items()):
        s = by_ref.get(ref)
        if s is None or not s.known or s.collected_idr <= 0:
            status = "" if s is None or not s.known else s.status
            found.append(Found(DifferenceKind.UNKNOWN_TO_PROVIDER, ref, side.collected_idr, None, status))
        elif s.collected_idr != side.collected_idr:
            found.append(Found(DifferenceKind.AMOUNT_DIFFERS, ref, side.collected_idr, s.collected_idr, s.status))
        elif s.refunded_idr is not None and s.refunded_idr != side.refunded_idr:
            found.append(Found(DifferenceKind.AMOUNT_DIFFERS, ref, side.refunded_idr, s.refunded_idr, "refund"))
        else:
            matched += 1
    return found, matched


def record(run: ReconciliationRun, provider: str, found: list[Found], checked: set[str]) -> int:
    """Keeps the differences of one provider: the same one found again is the same row (an explained one
    stays explained); an open one among `checked` that was not found again is resolved. Returns how many
    were found."""
    seen = set()
    for f in found:
        key = f"{f.kind}:{f.reference}"[:200]
        seen.add(key)
        row = db.session.scalar(select(Difference).where(Difference.key == key))
        if row is None:
            row = Difference(key=key, provider=provider, kind=f.kind, reference=f.reference[:160], first_run_id=run.id)
            db.session.add(row)
        elif row.status == DifferenceStatus.RESOLVED:
            row.status = DifferenceStatus.OPEN
        row.ledger_idr, row.provider_idr, row.detail, row.last_run_id = f.ledger_idr, f.provider_idr, f.detail, run.id
    for row in db.session.scalars(
        select(Difference).where(Difference.provider == provider, Difference.status == DifferenceStatus.OPEN)
    ):
        if row.key not in seen and row.reference in checked:
            row.status, row.last_run_id = DifferenceStatus.RESOLVED, run.id
    db.session.flush()
    return len(found)


def open_references(provider: str) -> set[str]:
    """The references of a provider's open differences: checked again by every run until they are gone."""
    return set(
        db.session.scalars(
            select(Difference.reference).where(
                Difference.provider == provider, Difference.status == DifferenceStatus.OPEN
            )
        )
    )


# ------------------------------------------------------------------ the run


def _provider(run: ReconciliationRun, provider: str, source: Source, since: datetime) -> dict:
    ledger = ledger_side(provider, since=since)
    refs = set(ledger) | open_references(provider)
    try:
        said = source(since, refs)
    except Exception as exc:  # the provider could not be reached: nothing is closed, the next run tries again
        log.warning("reconciliation: %s could not be asked: %s", provider, exc)
        return {"error": str(exc)[:200]}
    if said is None:
        return {"error": "not configured"}
    told = {s.reference for s in said}
    ledger.update(ledger_side(provider, refs=(refs | told) - set(ledger)))
    found, matched = compare(ledger, said)
    differences = record(run, provider, found, refs | set(ledger) | told)
    return {"checked": len(set(ledger) | told), "matched": matched, "differences": differences}


def run_reconciliation(days: int = DAYS) -> ReconciliationRun:
    """One run: every registered provider, then the platform's bank statement (bank.match). Commits."""
    from . import bank

    since = utcnow() - timedelta(days=days)
    run = ReconciliationRun(started_at=utcnow(), summary={})
    db.session.add(run)
    db.session.flush()
    summary: dict[str, dict] = {}
    for provider, source in sorted(SOURCES.items()):
        summary[provider] = _provider(run, provider, source, since)
    summary["bank"] = bank.match(run)
    run.summary = {"since": since.isoformat(), "providers": summary}
    run.finished_at = utcnow()
    db.session.commit()
    return run


@jobs.task("ledger.reconcile", every=86400)
def reconcile() -> dict:
    """The daily job: the providers' and the bank's word compared with the ledger (see run_reconciliation)."""
    return run_reconciliation().summary


def open_count() -> int:
    return (
        db.session.scalar(select(db.func.count(Difference.id)).where(Difference.status == DifferenceStatus.OPEN)) or 0
    )
