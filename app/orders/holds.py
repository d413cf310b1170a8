"""What holds an order back from completing: a complaint not yet resolved (../shared/API.md "Complaints":
it does not complete, by the buyer's button or by the job, and its money stays pending)."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.extensions import db

from .complaint_models import UNRESOLVED, Complaint


def complaint_pending(order_id_column):
    """An SQL condition: the order (its id column) has a complaint not yet resolved."""
    return exists(select(Complaint.id).where(Complaint.order_id == order_id_column, Complaint.status.in_(UNRESOLVED)))


def held(order_id: int) -> bool:
    return bool(db.session.scalar(select(complaint_pending(order_id))))
