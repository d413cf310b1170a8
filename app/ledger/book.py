"""The book: `post` writes one balanced posting once per key, with its entries and the accounts' kept
balances, in the caller's transaction; `check` proves that every posting sums to zero and every kept
balance equals its entries; `available_for_update` reads a group's available money under a row lock.

Once per key: the posting row is inserted with INSERT … ON CONFLICT (key) DO NOTHING. On PostgreSQL a second
transaction inserting the same key waits for the first: if it commits, the second inserts nothing and
returns the posting the first wrote; if it rolls back, the second writes it. No savepoint is needed (an
IntegrityError would abort PostgreSQL's transaction, and pysqlite's savepoints can commit early)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.core.types import utcnow
from app.extensions import db

from .models import AVAILABLE, PENDING, EntryState, LedgerAccount, LedgerEntry, LedgerPosting, group_account

_GROUP_CODE = re.compile(r"^group:(\d+):(pending|available|direct)$")
_CODE = re.compile(r"^[a-z_]+:[a-z0-9_:]+$")


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def account_id(code: str) -> int:
    """The account's id, made on first use (two transactions making it at once make it once)."""
    found = db.session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    if found is not None:
        return found
    if not _CODE.match(code):
        raise ValueError(f"not an account code: {code!r}")
    match = _GROUP_CODE.match(code)
    group_id = int(match.group(1)) if match else None
    db.session.execute(
        _insert(LedgerAccount)
        .values(code=code, group_id=group_id, balance_idr=0, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["code"])
    )
    return db.session.execute(select(LedgerAccount.id).where(LedgerAccount.code == code)).scalar_one()


def state_of(code: str) -> str:
    return EntryState.PENDING if code.endswith(":" + PENDING) and code.startswith("group:") else EntryState.AVAILABLE


def post(
    key: str,
    kind: str,
    lines: Iterable[tuple[str, int]],
    *,
    source: str,
    description: str = "",
    order_id: int | None = None,
    payout_id: int | None = None,
) -> LedgerPosting:
    """One posting of (account code, signed amount) lines that add up to zero (ValueError otherwise), in
    the caller's transaction. The same key again (a replay, a retry, another server) posts nothing and
    returns the posting already there."""
    kept = [(code, int(amount)) for code, amount in lines if amount]
    if not kept:
        raise ValueError("a posting needs at least one amount")
    if sum(amount for _code, amount in kept) != 0:
        raise ValueError(f"posting {key} does not balance: {kept}")
    existing = _posting(key)
    if existing is not None:
        return existing
    now = utcnow()
    new_id = db.session.scalar(
        _insert(LedgerPosting)
        .values(
            key=key,
            kind=str(kind),
            source=source[:160],
            order_id=order_id,
            payout_id=payout_id,
            description=description[:255],
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(LedgerPosting.id)
    )
    if new_id is None:  # written by another transaction meanwhile (it committed: we waited for it)
        return _existing(key)
    _write_entries(new_id, kept, now)
    return _existing(key)


def _write_entries(posting_id: int, kept: list[tuple[str, int]], now) -> None:
    """The entries, and each account's kept balance moved by its part (UPDATE … SET balance = balance + :x)."""
    ids = {code: account_id(code) for code, _amount in kept}
    db.session.execute(
        insert(LedgerEntry),
        [
            {
                "posting_id": posting_id,
                "account_id": ids[code],
                "amount_idr": amount,
                "state": state_of(code),
                "created_at": now,
            }
            for code, amount in kept
        ],
    )
    totals: dict[int, int] = {}
    for code, amount in kept:
        totals[ids[code]] = totals.get(ids[code], 0) + amount
    for acc in sorted(totals):  # in id order: two postings never wait for each other's rows crosswise
        db.session.execute(
            update(LedgerAccount)
            .where(LedgerAccount.id == acc)
            .values(balance_idr=LedgerAccount.balance_idr + totals[acc])
            .execution_options(synchronize_session=False)
        )


def _posting(key: str) -> LedgerPosting | None:
    return db.session.scalar(select(LedgerPosting).where(LedgerPosting.key == key))


def _existing(key: str) -> LedgerPosting:
    posting = _posting(key)
    assert posting is not None  # inserted by us or by the transaction we waited for
    return posting


def posted(key: str) -> bool:
    return _posting(key) is not None


def balance(code: str) -> int:
    """An account's kept balance (0 for an account not made yet), read from the row, not the session."""
    return db.session.scalar(select(LedgerAccount.balance_idr).where(LedgerAccount.code == code)) or 0


def available_for_update(group_id: int) -> int:
    """The group's available money, its account row locked until the transaction ends: for payouts (read,
    decide, post, commit; a second request waits for the first). The lock is taken by an UPDATE that changes
    nothing, so it holds on both databases (on SQLite, SELECT … FOR UPDATE compiles to a plain SELECT, while
    an UPDATE takes the database's one write lock)."""
    acc = account_id(group_account(group_id, AVAILABLE))
    db.session.execute(
        update(LedgerAccount)
        .where(LedgerAccount.id == acc)
        .values(balance_idr=LedgerAccount.balance_idr)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(select(LedgerAccount.balance_idr).where(LedgerAccount.id == acc)).scalar_one()


@dataclass
class CheckResult:
    postings: int
    accounts: int
    unbalanced: list[tuple[str, int]]  # posting key, what its entries add up to
    wrong_balances: list[tuple[str, int, int]]  # account code, kept balance, sum of its entries

    @property
    def ok(self) -> bool:
        return not self.unbalanced and not self.wrong_balances


def check() -> CheckResult:
    """Every posting sums to zero; every kept balance equals the sum of its account's entries."""
    sums = (
        select(LedgerPosting.key, func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .outerjoin(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .group_by(LedgerPosting.id, LedgerPosting.key)
    )
    postings = db.session.execute(sums).all()
    entry_sums = (
        select(LedgerEntry.account_id, func.sum(LedgerEntry.amount_idr).label("total"))
        .group_by(LedgerEntry.account_id)
        .subquery()
    )
    accounts = db.session.execute(
        select(LedgerAccount.code, LedgerAccount.balance_idr, func.coalesce(entry_sums.c.total, 0)).outerjoin(
            entry_sums, entry_sums.c.account_id == LedgerAccount.id
        )
    ).all()
    return CheckResult(
        postings=len(postings),
        accounts=len(accounts),
        unbalanced=[(key, int(total)) for key, total in postings if int(total) != 0],
        wrong_balances=[(code, int(kept), int(total)) for code, kept, total in accounts if int(kept) != int(total)],
    )
