"""What holds an order back from completing: a complaint not yet resolved (../shared/API.md "Complaints":
it does not complete, by the buyer's button or by the job, and its money stays pending), or a full refund
waiting for the goods to come back (a return not yet received, nor lapsed: return_lapse.py)."""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from app.extensions import db

from .complaint_models import UNRESOLVED, Complaint
from .return_models import LAPSED, ReturnShipment


def complaint_pending(order_id_column):
    """An SQL condition: the order (its id column) has a complaint not yet resolved, or a refund waiting for
    its goods to come back."""
    return or_(
        exists(select(Complaint.id).where(Complaint.order_id == order_id_column, Complaint.status.in_(UNRESOLVED))),
        exists(
            select(ReturnShipment.id).where(
                ReturnShipment.order_id == order_id_column,
                ReturnShipment.refund_waits.is_(True),
                ReturnShipment.received_at.is_(None),
                ReturnShipment.status != LAPSED,
            )
        ),
    )


def held(order_id: int) -> bool:
    return bool(db.session.scalar(select(complaint_pending(order_id))))
