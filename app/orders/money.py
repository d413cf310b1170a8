"""An order's money in the ledger (app/ledger): its fee and net set and the group credited when it is paid,
released when it is completed, taken back when a paid order is cancelled or refunded. Called inside the
transaction that moves the order, before its commit (status.move and status.mark_paid), and by invoices."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.ledger import fees, postings

from . import ways_to_pay
from .models import Checkout, Order, OrderEvent, OrderStatus


def checkout_paid(checkout: Checkout) -> None:
    """Every order of a paid checkout: fee and net, and the group's money in the ledger."""
    provider, source = ways_to_pay.method_of(checkout.payment_method).money_reached(checkout)
    orders = list(checkout.orders)
    if provider is None:
        for order in orders:
            _direct(order, source)
        return
    shares = fees.fees_for(checkout.payment_method, [(o.goods_idr, o.total_idr) for o in orders])
    for order, fee in zip(orders, shares, strict=True):
        _through_platform(order, provider, source, fee)


def order_paid(order: Order, provider: str | None, source: str) -> None:
    """One order paid on its own (an invoice on terms): to the platform's `provider`, or straight to the group."""
    if provider is None:
        _direct(order, source)
    else:
        _through_platform(order, provider, source, fees.fees_for("invoice", [(order.goods_idr, order.total_idr)])[0])


def _through_platform(order: Order, provider: str, source: str, fee: fees.Fee) -> None:
    order.fee_idr, order.net_idr = fee.fee_idr, fee.net_idr
    postings.order_paid(
        group_id=order.group_id,
        order_id=order.id,
        total_idr=order.total_idr,
        fee_idr=fee.fee_idr,
        provider_cost_idr=fee.provider_cost_idr,
        provider=provider,
        source=source,
        number=order.number,
        completed=order.status == OrderStatus.COMPLETED,
    )


def _direct(order: Order, source: str) -> None:
    order.fee_idr, order.net_idr = 0, order.total_idr
    postings.order_paid_direct(
        group_id=order.group_id, order_id=order.id, total_idr=order.total_idr, source=source, number=order.number
    )


def moved(order: Order, to: str) -> None:
    """After a move (status.move): completed releases the order's money, cancelled or refunded takes it back.
    An order not yet written (a unit test's) has no money in the ledger."""
    if order.id is None:
        return
    if to == OrderStatus.COMPLETED:
        postings.order_completed(group_id=order.group_id, order_id=order.id, number=order.number)
    elif to in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        postings.order_refunded(
            group_id=order.group_id, order_id=order.id, source=f"order:{order.id}:{to}", number=order.number
        )


def refund_completed(actor: User, order_id: int, reason: str | None) -> Order:
    """An admin gives a completed order's money back to the buyer (a complaint upheld after the buyer
    confirmed): the order stays completed (a finished order moves no more), its history says why, and the
    group gives back what it received, from its available money, which may go below zero until later sales
    make it up. The money reaches the buyer by hand (the admin's transfer). Commits."""
    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang dapat mengembalikan dana pesanan yang sudah selesai."))
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    if order.status != OrderStatus.COMPLETED or order.net_idr is None:
        raise Conflict(_("Hanya pesanan selesai yang sudah dibayar yang dananya dapat dikembalikan di sini."))
    errors: dict[str, list[str]] = {}
    note = validate.text(reason, errors, "reason", max_len=500, min_len=3)
    if errors:
        raise ValidationFailed(_("Tulis alasannya."), errors)
    order.events.append(
        OrderEvent(from_status=order.status, to_status=order.status, actor_id=actor.id, note=f"refund: {note}")
    )
    postings.order_refunded(
        group_id=order.group_id, order_id=order.id, source=f"order:{order.id}:refund_by:{actor.id}", number=order.number
    )
    db.session.commit()
    return order


def paid_orders_of_group(group_id: int, offset: int, limit: int) -> tuple[list[Order], bool]:
    """The group's orders that were paid (their fee and net set), newest first; and whether there are more."""
    rows = list(
        db.session.scalars(
            select(Order)
            .where(Order.group_id == group_id, Order.net_idr.is_not(None))
            .order_by(Order.id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def order_numbers(order_ids: list[int]) -> dict[int, str]:
    """The numbers of orders by their ids (for the ledger's statements)."""
    if not order_ids:
        return {}
    rows = db.session.scalars(select(Order).where(Order.id.in_(sorted(set(order_ids)))))
    return {order.id: order.number for order in rows}
