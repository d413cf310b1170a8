"""Receipt without the buyer: an order `delivered` for ORDER_AUTO_COMPLETE_DAYS completes by itself, as
on every marketplace its buyers know (the buyer who forgets to press "Pesanan diterima" does not keep the
group waiting). An order with a complaint not yet resolved waits (holds.py): its money stays pending."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core import jobs
from app.core.types import utcnow
from app.extensions import db

from . import holds, notify
from .models import Order, OrderEvent, OrderStatus
from .status import move


def due_for_completion(now: datetime | None = None) -> list[int]:
    """The ids of orders delivered longer ago than ORDER_AUTO_COMPLETE_DAYS (the moment it became delivered
    is the latest such move in its history), without a complaint waiting to be resolved."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["ORDER_AUTO_COMPLETE_DAYS"])
    delivered_at = (
        select(func.max(OrderEvent.created_at))
        .where(OrderEvent.order_id == Order.id, OrderEvent.to_status == OrderStatus.DELIVERED)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Order.id)
            .where(Order.status == OrderStatus.DELIVERED, delivered_at < cutoff, ~holds.complaint_pending(Order.id))
            .order_by(Order.id)
        )
    )


@jobs.task("orders.complete_delivered", every=3600)
def complete_delivered(now: datetime | None = None) -> dict[str, int]:
    """Each order in its own transaction, locked and read again: two workers never complete one twice."""
    done = 0
    for order_id in due_for_completion(now):
        order = db.session.get(Order, order_id, with_for_update=True, populate_existing=True)
        if order is None or order.status != OrderStatus.DELIVERED or holds.held(order.id):
            db.session.rollback()
            continue
        days = current_app.config["ORDER_AUTO_COMPLETE_DAYS"]
        move(order, OrderStatus.COMPLETED, None, _("Selesai otomatis %(d)s hari setelah diterima.", d=days))
        db.session.commit()
        notify.order_moved(order)
        done += 1
    return {"completed": done}
