"""The status machine: the one table of allowed moves (MOVES), and the moves made by a group, a buyer, a
payment and the expiry of unpaid checkouts."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.catalog import lots
from app.core import ops, validate
from app.core.errors import Conflict, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles

from . import holds, money, notify, ways_to_pay
from .models import Checkout, CheckoutStatus, Order, OrderEvent, OrderStatus
from .quoting import merge_items
from .services import Buyer, as_buyer, order_for_buyer, order_for_group_member
from .stock import give_back_stock, take_stock

log = logging.getLogger(__name__)


# from -> {to: who may make that move}: the one table of allowed moves (pages and the API read next_statuses)
MOVES: dict[str, dict[str, str]] = {
    OrderStatus.PENDING_PAYMENT: {OrderStatus.PAID: "system", OrderStatus.CANCELLED: "system"},
    OrderStatus.PAID: {OrderStatus.PROCESSING: "group", OrderStatus.CANCELLED: "group"},
    OrderStatus.INVOICED: {
        OrderStatus.PROCESSING: "group",
        OrderStatus.CANCELLED: "group",
    },  # on terms: the group ships, the buyer pays later
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED: "group", OrderStatus.CANCELLED: "group"},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED: "group", OrderStatus.COMPLETED: "buyer"},
    OrderStatus.DELIVERED: {OrderStatus.COMPLETED: "buyer"},
    OrderStatus.CANCELLED: {OrderStatus.REFUNDED: "system"},
}


def next_statuses(order: Order, who: str, standing: roles.Standing | None = None) -> list[str]:
    """The statuses `who` (group, buyer or system) may move the order to now, in the order a page offers
    them: a hotel's invoiced order is prepared and shipped like a paid one. With the group member's
    `standing` in the order's group (roles.standing), only the moves her role allows (a group cancels
    only orders paid or invoiced: the chair and the treasurer)."""
    moves = [to for to, mover in MOVES.get(order.status, {}).items() if mover == who]
    if who == "buyer" and OrderStatus.COMPLETED in moves and order.id is not None and holds.held(order.id):
        moves.remove(OrderStatus.COMPLETED)  # a complaint not yet resolved: the order waits for it
    if standing is not None and who == "group" and not standing.can(roles.CANCEL_PAID_ORDER):
        moves = [to for to in moves if to != OrderStatus.CANCELLED]
    return moves


def move(order: Order, to: str, actor: User | None, note: str | None = None) -> None:
    if to not in MOVES.get(order.status, {}):
        raise Conflict(
            _("Pesanan berstatus %(s)s tidak bisa menjadi %(t)s.", s=order.status, t=to),
            {"status": [_("Perpindahan status ini tidak diizinkan.")]},
        )
    order.events.append(
        OrderEvent(from_status=order.status, to_status=to, actor_id=actor.id if actor else None, note=note)
    )
    order.status = to
    money.moved(order, to)  # the ledger: completed releases the group's money, a cancelled paid order takes it back


def move_by_group(
    actor: User, order_id: int, to: str, tracking_number: str | None = None, reason: str | None = None
) -> Order:
    order = order_for_group_member(actor, order_id)
    if MOVES.get(order.status, {}).get(to) != "group":
        raise Conflict(
            _("Pesanan berstatus %(s)s tidak bisa menjadi %(t)s.", s=order.status, t=to),
            {"status": [_("Perpindahan status ini tidak diizinkan.")]},
        )
    if to == OrderStatus.CANCELLED:
        roles.require(actor, order.group_id, roles.CANCEL_PAID_ORDER)
    errors: dict[str, list[str]] = {}
    note = None
    if to == OrderStatus.SHIPPED:
        tracking = validate.text(
            tracking_number, errors, "tracking_number", max_len=60, required=order.shipping_method == "courier"
        )
        order.tracking_number = tracking
        note = tracking
    if to == OrderStatus.CANCELLED:
        note = validate.text(reason, errors, "reason", max_len=500, min_len=3)
        order.cancel_reason = note
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    was_paid = order.status in (OrderStatus.PAID, OrderStatus.PROCESSING)
    pay = ways_to_pay.method_of(order.checkout.payment_method)
    move(order, to, actor, note)
    if to == OrderStatus.CANCELLED:
        give_back_stock(order)
        pay.cancelled(order)  # on terms: the invoice is void
    db.session.commit()
    if to == OrderStatus.CANCELLED and was_paid:
        pay.refund_order(order)
    notify.order_moved(order)
    return order


def confirm_receipt(buyer: User | Buyer, order_id: int) -> Order:
    """ "Pesanan diterima": the buyer signed in, or a guest through her checkout's link (services.Buyer)."""
    who = as_buyer(buyer)
    order = order_for_buyer(who, order_id)
    db.session.refresh(order, with_for_update=True)  # two phones at once: the second reads it completed
    if order.status == OrderStatus.COMPLETED:  # pressed twice, or on two phones
        raise Conflict(_("Pesanan ini sudah selesai."))
    if MOVES.get(order.status, {}).get(OrderStatus.COMPLETED) != "buyer":
        raise Conflict(_("Pesanan ini belum dikirim."), {"status": [_("Perpindahan status ini tidak diizinkan.")]})
    if holds.held(order.id):
        raise Conflict(
            _("Pesanan ini sedang dikomplain: selesai setelah komplainnya diselesaikan."),
            {"status": [_("Perpindahan status ini tidak diizinkan.")]},
        )
    move(order, OrderStatus.COMPLETED, who.user, None if who.user else _("oleh pembeli, lewat tautan pesanan"))
    db.session.commit()
    notify.order_moved(order)
    return order


def mark_paid(checkout: Checkout, actor: User | None = None, note: str | None = None) -> bool:
    """Payment arrived. Only moves forward: a second notice changes nothing. Commits."""
    if checkout.status == CheckoutStatus.PAID:
        return False
    if checkout.status in (CheckoutStatus.EXPIRED, CheckoutStatus.CANCELLED):
        # paid after it ran out: take the stock again if it is there, else the money goes back
        wanted = sorted(
            merge_items(
                (line.product_id, line.quantity) for o in checkout.orders for line in o.lines if line.product_id
            )
        )
        buyer = db.session.get(User, checkout.user_id) if checkout.organisation_id and checkout.user_id else None
        shelf = lots.rule_of(ways_to_pay.organisation_of(buyer))
        if take_stock(wanted, shelf):
            db.session.rollback()
            log.warning("checkout %s paid after expiry and stock is gone: refunding", checkout.id)
            ways_to_pay.method_of(checkout.payment_method).refund_checkout(checkout)
            return False
        for order in checkout.orders:
            order.events.append(
                OrderEvent(
                    from_status=order.status, to_status=OrderStatus.PENDING_PAYMENT, actor_id=None, note="late payment"
                )
            )
            order.status = OrderStatus.PENDING_PAYMENT
        lots.assign_takes(line for o in checkout.orders for line in o.lines)
    checkout.status = CheckoutStatus.PAID
    checkout.paid_at = utcnow()
    for order in checkout.orders:
        move(order, OrderStatus.PAID, actor, note)
    money.checkout_paid(checkout)  # each order's fee and net, and its group's money in the ledger
    db.session.commit()
    ops.PAYMENTS.labels(checkout.payment_method).inc()
    notify.checkout_paid(checkout)
    return True


def expire(checkout: Checkout, reason: str | None = None) -> None:
    if checkout.status != CheckoutStatus.PENDING_PAYMENT:
        return
    checkout.status = CheckoutStatus.EXPIRED
    for order in checkout.orders:
        move(order, OrderStatus.CANCELLED, None, reason or _("Tidak dibayar sebelum batas waktu."))
        order.cancel_reason = reason or _("Tidak dibayar sebelum batas waktu.")
        give_back_stock(order)
    db.session.commit()
    notify.checkout_expired(checkout)


def due_for_expiry(now=None) -> list[Checkout]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Checkout).where(Checkout.status == CheckoutStatus.PENDING_PAYMENT, Checkout.expires_at < now)
        )
    )
