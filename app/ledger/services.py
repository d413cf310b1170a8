"""Reading a group's money: who may see it, its balance, its ledger (newest first), and where each
order's money is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for

from .models import (
    AVAILABLE,
    DIRECT,
    PENDING,
    EntryState,
    LedgerAccount,
    LedgerEntry,
    LedgerPosting,
    PostingKind,
    group_account,
)


def may_see_money(user: User | None, group: Group) -> bool:
    """The group's money is for its chair and treasurer (groups.roles) and admins."""
    return roles.can(user, group.id, roles.SEE_MONEY)


def group_for_money(user: User, slug: str) -> Group:
    """The group, for one who may see its money; a member who may not: 403; anyone else: 404."""
    return group_for(user, slug, roles.SEE_MONEY)


@dataclass
class Balance:
    pending_idr: int  # paid, the orders not yet completed
    available_idr: int  # completed orders' net, less refunds and payouts: what may be paid out
    paid_out_idr: int  # sent to the group's bank account
    direct_idr: int  # paid straight to the group: never paid out again
    fees_idr: int  # the fees taken from the group's orders (less those returned with refunds)


def _sum_of_kinds(group_id: int, kinds: tuple[str, ...]) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .join(LedgerPosting, LedgerPosting.id == LedgerEntry.posting_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.group_id == group_id, LedgerPosting.kind.in_(kinds))
    )
    return int(total or 0)


def balance_of(group: Group) -> Balance:
    rows = db.session.execute(
        select(LedgerAccount.code, LedgerAccount.balance_idr).where(LedgerAccount.group_id == group.id)
    )
    kept: dict[str, int] = {code: int(amount) for code, amount in rows}
    return Balance(
        pending_idr=int(kept.get(group_account(group.id, PENDING), 0)),
        available_idr=int(kept.get(group_account(group.id, AVAILABLE), 0)),
        paid_out_idr=-_sum_of_kinds(group.id, (PostingKind.PAYOUT, PostingKind.PAYOUT_RETURNED)),
        direct_idr=int(kept.get(group_account(group.id, DIRECT), 0)),
        fees_idr=-_sum_of_kinds(group.id, (PostingKind.FEE,)),
    )


@dataclass
class Item:
    id: int
    at: datetime
    kind: str
    order_id: int | None
    payout_id: int | None
    amount_idr: int  # signed: + is the group's
    state: str
    description: str


def ledger_of(group: Group, offset: int, limit: int) -> tuple[list[Item], bool]:
    """The entries on the group's accounts, newest first; and whether there are more."""
    rows = db.session.execute(
        select(LedgerEntry, LedgerPosting)
        .join(LedgerPosting, LedgerPosting.id == LedgerEntry.posting_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.group_id == group.id)
        .order_by(LedgerEntry.id.desc())
        .offset(offset)
        .limit(limit + 1)
    ).all()
    items = [
        Item(
            id=entry.id,
            at=entry.created_at,
            kind=posting.kind,
            order_id=posting.order_id,
            payout_id=posting.payout_id,
            amount_idr=entry.amount_idr,
            state=entry.state,
            description=posting.description,
        )
        for entry, posting in rows[:limit]
    ]
    return items, len(rows) > limit


@dataclass
class Charge:
    at: datetime
    order_id: int | None
    description: str  # "Ongkos kirim pengembalian barang pesanan …"
    amount_idr: int  # what it took from the group's money (positive)


def charges_of(group: Group, limit: int) -> list[Charge]:
    """What the platform paid for the group and took from its money (a return's pick-up), newest first: one
    line each, for its money page."""
    rows = db.session.execute(
        select(
            LedgerPosting.created_at,
            LedgerPosting.order_id,
            LedgerPosting.description,
            func.sum(LedgerEntry.amount_idr),
        )
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.group_id == group.id, LedgerPosting.kind == PostingKind.SHIPPING)
        .group_by(LedgerPosting.id, LedgerPosting.created_at, LedgerPosting.order_id, LedgerPosting.description)
        .order_by(LedgerPosting.id.desc())
        .limit(limit)
    )
    return [Charge(at, order_id, text, -int(total)) for at, order_id, text, total in rows]


# where an order's money is, for the group's money page (words: labels.WHERE_LABELS)
WAITING, RELEASED, STRAIGHT, RETURNED = "pending", "available", "direct", "refunded"


def where_money_is(order_ids: list[int]) -> dict[int, str]:
    """Each order's money: pending, available (completed), direct (paid straight to the group) or refunded.
    Orders with no posting are left out (not paid)."""
    if not order_ids:
        return {}
    seen: dict[int, set[tuple[str, str, str]]] = {}
    for order_id, key, kind, state in db.session.execute(
        select(LedgerPosting.order_id, LedgerPosting.key, LedgerPosting.kind, LedgerEntry.state)
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerPosting.order_id.in_(order_ids), LedgerAccount.group_id.is_not(None))
    ):
        seen.setdefault(order_id, set()).add((key.split(":", 1)[0], kind, state))
    where = {}
    for order_id, marks in seen.items():
        steps = {step for step, _kind, _state in marks}
        if "refund" in steps:
            where[order_id] = RETURNED
        elif any(kind == PostingKind.DIRECT for _step, kind, _state in marks):
            where[order_id] = STRAIGHT
        elif "completed" in steps or ("paid", PostingKind.SALE, AVAILABLE) in marks:
            where[order_id] = RELEASED
        elif "paid" in steps:
            where[order_id] = WAITING
    return where


# what counts as money that reached a group: what became its own (available: completed orders' net, and paid
# out from there) and what was paid straight to it, less what was given back; payouts only move it onward
_REACHED_KINDS = (
    PostingKind.SALE,
    PostingKind.FEE,
    PostingKind.REFUND,
    PostingKind.DIRECT,
    PostingKind.ADJUSTMENT,
    PostingKind.SHIPPING,
)


def money_reached_by(column, *where):
    """SELECT column, money reached: the money that reached the groups (their available and direct accounts,
    every kind but payouts), grouped by a column of Group (e.g. its kabupaten), for groups matching `where`."""
    return (
        select(column, func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .select_from(LedgerEntry)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .join(LedgerPosting, LedgerPosting.id == LedgerEntry.posting_id)
        .join(Group, Group.id == LedgerAccount.group_id)
        .where(LedgerEntry.state == EntryState.AVAILABLE, LedgerPosting.kind.in_(_REACHED_KINDS), *where)
        .group_by(column)
    )


def paid_out_between(group_id: int, start: datetime, end: datetime) -> tuple[int, list[int]]:
    """What was paid out to the group's bank account in [start, end) (payouts less those that came back),
    and the payouts it was: for the statement lenders read."""
    rows = db.session.execute(
        select(LedgerPosting.payout_id, LedgerEntry.amount_idr)
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(
            LedgerAccount.group_id == group_id,
            LedgerPosting.kind.in_((PostingKind.PAYOUT, PostingKind.PAYOUT_RETURNED)),
            LedgerEntry.created_at >= start,
            LedgerEntry.created_at < end,
        )
    ).all()
    payouts = sorted({payout_id for payout_id, _amount in rows if payout_id is not None})
    return -sum(int(amount) for _payout, amount in rows), payouts
