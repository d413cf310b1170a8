"""The movements of a group's money, in plain values (the ledger knows nothing of orders): what the
services that move money call, inside their own transaction, before their commit. Each posting's key
names what it records, so the same event posted twice (a replayed webhook, a retried job) posts once.

  paid through the platform   clearing:<provider> -total      group:N:pending +total        (sale)
                              group:N:pending -fee            platform:fees +fee            (fee)
                              clearing:<provider> +cost       platform:provider_costs -cost (fee)
  completed                   group:N:pending -net            group:N:available +net        (sale)
  refunded                    group:N:<where it is> -total    clearing:<provider> +total    (refund)
                              group:N:<where it is> +fee      platform:fees -fee            (fee)
  paid straight to the group  external:direct -total          group:N:direct +total         (direct)
  a payout asked for          group:N:available -amount       transit:payouts +amount       (payout)
  the bank (or Iris) sent it  transit:payouts -amount         clearing:bank|iris +amount    (payout)
  it failed: available again  transit:payouts|clearing -amount  group:N:available +amount   (payout_returned)
  part refunded (a complaint) group:N:pending -p, available -a  clearing:<provider> +amount  (refund)
                              group:N:<where> +fee share      platform:fees -fee share      (fee)
  a return's pick-up booked   group:N:pending -p, available -a  clearing:biteship +price   (shipping)
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db

from . import book
from .models import (
    AVAILABLE,
    CLEARING,
    COURIERS_BY_BITESHIP,
    DIRECT,
    EXTERNAL_DIRECT,
    PAYOUTS_BY_IRIS,
    PAYOUTS_IN_TRANSIT,
    PENDING,
    PLATFORM_FEES,
    PROVIDER_COSTS,
    LedgerAccount,
    LedgerEntry,
    LedgerPosting,
    PostingKind,
    group_account,
)


def paid_key(order_id: int) -> str:
    return f"paid:order:{order_id}"


def order_paid(
    *,
    group_id: int,
    order_id: int,
    total_idr: int,
    fee_idr: int,
    provider_cost_idr: int,
    provider: str,
    source: str,
    number: str,
    completed: bool = False,
) -> None:
    """Money for a group's order reached the platform through `provider` (stripe, midtrans, bank): the
    group is owed the total less its fee, pending until the order is completed (available at once when
    it was completed before it was paid: an invoice on terms). fee_idr is the group's fee (the platform's
    fee, and the provider's cost when groups bear it); provider_cost_idr what the provider keeps."""
    clearing = CLEARING[provider]
    held = group_account(group_id, AVAILABLE if completed else PENDING)
    book.post(
        paid_key(order_id),
        PostingKind.SALE,
        [(clearing, -total_idr), (held, total_idr)],
        source=source,
        description=f"Pesanan {number} dibayar",
        order_id=order_id,
    )
    lines = [
        (held, -fee_idr),
        (PLATFORM_FEES, fee_idr),
        (clearing, provider_cost_idr),
        (PROVIDER_COSTS, -provider_cost_idr),
    ]
    if fee_idr or provider_cost_idr:
        book.post(
            f"fee:order:{order_id}",
            PostingKind.FEE,
            lines,
            source=source,
            description=f"Biaya pesanan {number}",
            order_id=order_id,
        )


def order_paid_direct(*, group_id: int, order_id: int, total_idr: int, source: str, number: str) -> None:
    """Money for a group's order went straight to the group (its own account, cash at its stand): counted
    as the group's, never paid out."""
    book.post(
        paid_key(order_id),
        PostingKind.DIRECT,
        [(EXTERNAL_DIRECT, -total_idr), (group_account(group_id, DIRECT), total_idr)],
        source=source,
        description=f"Pesanan {number} dibayar langsung ke kelompok",
        order_id=order_id,
    )


def _on_account(order_id: int, code: str) -> int:
    """What an order's postings left on one account."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .join(LedgerPosting, LedgerPosting.id == LedgerEntry.posting_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerPosting.order_id == order_id, LedgerAccount.code == code)
    )
    return int(total or 0)


def order_completed(*, group_id: int, order_id: int, number: str) -> None:
    """The buyer has the goods: what the order has pending becomes available."""
    pending = group_account(group_id, PENDING)
    amount = _on_account(order_id, pending)
    if amount <= 0:
        return  # not paid (an invoice not yet paid), paid straight to the group, or refunded
    book.post(
        f"completed:order:{order_id}",
        PostingKind.SALE,
        [(pending, -amount), (group_account(group_id, AVAILABLE), amount)],
        source=f"order:{order_id}",
        description=f"Pesanan {number} diterima pembeli",
        order_id=order_id,
    )


def _lines_of(key: str) -> list[tuple[str, int]]:
    return [
        (code, int(amount))
        for code, amount in db.session.execute(
            select(LedgerAccount.code, LedgerEntry.amount_idr)
            .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
            .join(LedgerPosting, LedgerPosting.id == LedgerEntry.posting_id)
            .where(LedgerPosting.key == key)
        )
    ]


def order_refunded(*, group_id: int, order_id: int, source: str, number: str) -> None:
    """A paid order's money goes back to the buyer: the group gives back what it was credited (from what
    the order still has pending, else from its available money, which may go below zero: later sales make
    it up) and the platform its fee. What the provider kept is the platform's loss. Reversed from the
    order's own postings, so it matches them exactly; an order never paid posts nothing."""
    key = f"refund:order:{order_id}"
    if book.posted(key):
        return
    paid = _lines_of(paid_key(order_id))
    if not paid:
        return
    direct = group_account(group_id, DIRECT)
    if any(code == direct for code, _a in paid):
        amount = _on_account(order_id, direct)
        book.post(
            key,
            PostingKind.REFUND,
            [(direct, -amount), (EXTERNAL_DIRECT, amount)],
            source=source,
            description=f"Pesanan {number} dikembalikan",
            order_id=order_id,
        )
        return
    ((clearing, total),) = [(code, -amount) for code, amount in paid if code.startswith("clearing:")]
    pending = group_account(group_id, PENDING)
    where = pending if _on_account(order_id, pending) > 0 else group_account(group_id, AVAILABLE)
    book.post(
        key,
        PostingKind.REFUND,
        [(where, -total), (clearing, total)],
        source=source,
        description=f"Pesanan {number} dikembalikan ke pembeli",
        order_id=order_id,
    )
    fee = -sum(a for code, a in _lines_of(f"fee:order:{order_id}") if code.startswith("group:"))
    if fee:
        book.post(
            f"refund_fee:order:{order_id}",
            PostingKind.FEE,
            [(where, fee), (PLATFORM_FEES, -fee)],
            source=source,
            description=f"Biaya pesanan {number} dikembalikan",
            order_id=order_id,
        )


def payout_requested(*, group_id: int, payout_id: int, amount_idr: int) -> None:
    """The chair or the treasurer asked for a payout: the money leaves available at once (the same money
    cannot be asked for twice), in transit until the bank says it arrived or it failed."""
    book.post(
        f"payout:{payout_id}",
        PostingKind.PAYOUT,
        [(group_account(group_id, AVAILABLE), -amount_idr), (PAYOUTS_IN_TRANSIT, amount_idr)],
        source=f"payout:{payout_id}",
        description=f"Pencairan dana #{payout_id} ke rekening kelompok",
        payout_id=payout_id,
    )


def _sent_from(by_iris: bool) -> str:
    return PAYOUTS_BY_IRIS if by_iris else CLEARING["bank"]


def payout_sent(*, payout_id: int, amount_idr: int, by_iris: bool, reference: str) -> None:
    """The money reached the group's bank: it leaves the platform's bank account (or Iris's balance)."""
    book.post(
        f"payout_sent:{payout_id}",
        PostingKind.PAYOUT,
        [(PAYOUTS_IN_TRANSIT, -amount_idr), (_sent_from(by_iris), amount_idr)],
        source=f"{'iris' if by_iris else 'bank'}:{reference}",
        description=f"Pencairan dana #{payout_id} terkirim ({reference})",
        payout_id=payout_id,
    )


def payout_returned(*, group_id: int, payout_id: int, amount_idr: int, by_iris: bool, reason: str) -> None:
    """A payout failed: its money is available again (from transit, or, when the bank returned a transfer it
    had taken, from where it was sent)."""
    where = PAYOUTS_IN_TRANSIT if not book.posted(f"payout_sent:{payout_id}") else _sent_from(by_iris)
    book.post(
        f"payout_returned:{payout_id}",
        PostingKind.PAYOUT_RETURNED,
        [(where, -amount_idr), (group_account(group_id, AVAILABLE), amount_idr)],
        source=f"payout:{payout_id}",
        description=f"Pencairan dana #{payout_id} gagal: {reason}",
        payout_id=payout_id,
    )


def order_part_refunded(*, group_id: int, order_id: int, amount_idr: int, key: str, source: str, number: str) -> None:
    """Part (or all) of a paid order's money goes back to the buyer (a complaint): the group gives it back,
    from what the order still has pending first, then from its available money (which may go below zero:
    later sales make it up), and the platform returns its fee in the same share. Money paid straight to the
    group comes off its direct money. Once per `key`; an order never paid (an invoice on terms not yet
    paid) posts nothing."""
    if book.posted(key) or amount_idr <= 0:
        return
    paid = _lines_of(paid_key(order_id))
    if not paid:
        return
    direct = group_account(group_id, DIRECT)
    if any(code == direct for code, _a in paid):
        lines = [(direct, -amount_idr), (EXTERNAL_DIRECT, amount_idr)]
        book.post(key, PostingKind.REFUND, lines, source=source, description=f"Komplain {number}", order_id=order_id)
        return
    ((clearing, total),) = [(code, -amount) for code, amount in paid if code.startswith("clearing:")]
    pending = group_account(group_id, PENDING)
    from_pending = min(max(_on_account(order_id, pending), 0), amount_idr)
    available = group_account(group_id, AVAILABLE)
    book.post(
        key,
        PostingKind.REFUND,
        [(pending, -from_pending), (available, from_pending - amount_idr), (clearing, amount_idr)],
        source=source,
        description=f"Pesanan {number}: dana dikembalikan ke pembeli (komplain)",
        order_id=order_id,
    )
    fee = -sum(a for code, a in _lines_of(f"fee:order:{order_id}") if code.startswith("group:"))
    share = fee * amount_idr // total if total else 0
    if share:
        book.post(
            f"{key}:fee",
            PostingKind.FEE,
            [(pending if from_pending == amount_idr else available, share), (PLATFORM_FEES, -share)],
            source=source,
            description=f"Biaya pesanan {number} dikembalikan (komplain)",
            order_id=order_id,
        )


def return_shipping_charged(*, group_id: int, order_id: int, return_id: int, price_idr: int, number: str) -> None:
    """A return's pick-up booked through Biteship, the group paying (the fault was its own): its price is taken
    from the group's money (what the order still has pending first, then its available money, which may go
    below zero) to the platform's Biteship balance it was billed to. Once per return."""
    key = f"return_shipping:{return_id}"
    if book.posted(key) or price_idr <= 0:
        return
    pending = group_account(group_id, PENDING)
    from_pending = min(max(_on_account(order_id, pending), 0), price_idr)
    book.post(
        key,
        PostingKind.SHIPPING,
        [
            (pending, -from_pending),
            (group_account(group_id, AVAILABLE), from_pending - price_idr),
            (COURIERS_BY_BITESHIP, price_idr),
        ],
        source=f"return:{return_id}",
        description=f"Ongkos kirim pengembalian barang pesanan {number}",
        order_id=order_id,
    )
