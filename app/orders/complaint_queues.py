"""Who has a complaint to act on: the group (to answer), the admins (escalated ones); and the deadlines,
a periodic job: a group that does not answer in COMPLAINT_ANSWER_DAYS sees the complaint escalated to an
admin, a buyer who neither accepts nor escalates an answer in as many days has accepted it."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.core import jobs
from app.core.types import utcnow
from app.extensions import db

from . import complaints
from .complaint_models import UNRESOLVED, Complaint, ComplaintMessage, ComplaintStatus
from .models import Order


def to_answer(group_id: int) -> tuple[int, int | None]:
    """How many of the group's complaints wait for its answer, and the oldest one's id (the group's home)."""
    count, first = db.session.execute(
        select(func.count(Complaint.id), func.min(Complaint.id))
        .join(Order, Order.id == Complaint.order_id)
        .where(Order.group_id == group_id, Complaint.status == ComplaintStatus.OPEN)
    ).one()
    return count, first


def pending_by_order(order_ids: list[int]) -> dict[int, Complaint]:
    """The complaint not yet resolved of each of these orders (the group's orders page)."""
    if not order_ids:
        return {}
    rows = db.session.scalars(
        select(Complaint).where(Complaint.order_id.in_(order_ids), Complaint.status.in_(UNRESOLVED))
    )
    return {c.order_id: c for c in rows}


def escalated() -> list[Complaint]:
    """The admins' queue: escalated complaints, oldest first."""
    return list(
        db.session.scalars(
            select(Complaint).where(Complaint.status == ComplaintStatus.ESCALATED).order_by(Complaint.escalated_at)
        )
    )


@jobs.task("orders.complaint_deadlines", every=3600)
def deadlines(now: datetime | None = None) -> dict[str, int]:
    """Each complaint in its own transaction, locked and read again (two workers act once)."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["COMPLAINT_ANSWER_DAYS"])
    done = {"escalated": 0, "accepted": 0}
    unanswered = select(Complaint.id).where(Complaint.status == ComplaintStatus.OPEN, Complaint.created_at < cutoff)
    for complaint_id in list(db.session.scalars(unanswered.order_by(Complaint.id))):
        complaint = db.session.get(Complaint, complaint_id, with_for_update=True, populate_existing=True)
        if complaint is None or complaint.status != ComplaintStatus.OPEN:
            db.session.rollback()
            continue
        complaints.escalated(complaint, None, None)  # commits
        done["escalated"] += 1
    waiting = select(Complaint.id).where(Complaint.status == ComplaintStatus.ANSWERED, Complaint.answered_at < cutoff)
    for complaint_id in list(db.session.scalars(waiting.order_by(Complaint.id))):
        complaint = db.session.get(Complaint, complaint_id, with_for_update=True, populate_existing=True)
        if complaint is None or complaint.status != ComplaintStatus.ANSWERED:
            db.session.rollback()
            continue
        complaint.messages.append(ComplaintMessage(role="system", action="accepted"))
        complaints.resolve(complaint, complaint.resolution or "reject", complaint.amount_idr)  # commits
        done["accepted"] += 1
    return done
