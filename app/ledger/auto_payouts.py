"""The weekly payout a group may choose instead of asking each time: once a week the job asks for all of its
available money (at least PAYOUT_MIN_IDR, to its bank account), in the group's name; an admin approves it as
any payout. A job run twice in a day, or on two servers, asks once: the schedule's row is locked and
`last_on` read again."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select

from app.accounts.models import User
from app.core import jobs
from app.core.timefmt import today_wib
from app.extensions import db
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for

from . import book
from .models import PayoutSchedule
from .payouts import has_bank_account, write_request

EVERY = timedelta(days=7)


def is_weekly(group_id: int) -> bool:
    return bool(db.session.scalar(select(PayoutSchedule.weekly).where(PayoutSchedule.group_id == group_id)))


def set_weekly(actor: User, slug: str, weekly: bool) -> PayoutSchedule:
    """The chair or the treasurer (roles.PAYOUT) turns the weekly payout on or off."""
    group = group_for(actor, slug, roles.PAYOUT)
    row = db.session.get(PayoutSchedule, group.id) or PayoutSchedule(group_id=group.id)
    row.weekly, row.changed_by_id = weekly, actor.id
    db.session.add(row)
    db.session.commit()
    return row


def _due(today: date) -> list[int]:
    return list(
        db.session.scalars(
            select(PayoutSchedule.group_id).where(
                PayoutSchedule.weekly.is_(True),
                or_(PayoutSchedule.last_on.is_(None), PayoutSchedule.last_on <= today - EVERY),
            )
        )
    )


@jobs.task("ledger.weekly_payouts", every=86400)
def weekly_payouts(today: date | None = None) -> dict[str, int]:
    """Each group due: its available money asked for, in its own transaction."""
    today = today or today_wib()
    asked = skipped = 0
    for group_id in _due(today):
        row = db.session.get(PayoutSchedule, group_id, with_for_update=True, populate_existing=True)
        group = db.session.get(Group, group_id)
        if row is None or group is None or not row.weekly or (row.last_on and row.last_on > today - EVERY):
            db.session.rollback()
            continue
        available = book.available_for_update(group_id)
        row.last_on = today
        if has_bank_account(group) and available >= current_app.config["PAYOUT_MIN_IDR"]:
            write_request(group, available, None)
            asked += 1
        else:
            skipped += 1  # nothing (or too little) to send this week, or no account: next week again
        db.session.commit()
    return {"asked": asked, "skipped": skipped}
