"""Taking part: groups apply to an event (and withdraw), the officer accepts or declines, a group
sees its applications and the events it may still join, and the events it can tag a sale with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select

from app.accounts.models import User
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for, group_for_member

from .models import Event, EventGroup
from .public import is_over, public_event
from .publishing import event_for_officer


def may_join(event: Event, group: Group) -> bool:
    if event.open_to == "kabupaten":
        return group.regency_code == event.regency_code
    if event.open_to == "provinsi":
        return group.province_code == event.province_code
    return True


def _open_to(group: Group):
    """may_join in SQL: the events a group from its place may take part in."""
    return or_(
        Event.open_to == "semua",
        and_(Event.open_to == "provinsi", Event.province_code == group.province_code),
        and_(Event.open_to == "kabupaten", Event.regency_code == group.regency_code),
    )


def apply(actor: User, slug: str, group_slug: str, note: str | None) -> EventGroup:
    group = group_for_member(actor, group_slug)
    event = public_event(slug)
    if event.cancelled_at is not None or is_over(event):
        raise Conflict(_("Acara ini sudah selesai atau dibatalkan."))
    if not group.is_verified:
        raise Conflict(_("Kelompok perlu diverifikasi petugas dulu sebelum ikut acara."))
    if not may_join(event, group):
        raise Forbidden(
            _(
                "Acara ini hanya untuk kelompok dari %(where)s.",
                where=event.regency_name if event.open_to == "kabupaten" else event.province_name,
            )
        )
    errors: dict[str, list[str]] = {}
    note = validate.text(note, errors, "note", max_len=500, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group.id))
    if row is not None and row.status in ("applied", "accepted"):
        raise Conflict(_("Kelompok ini sudah mendaftar ke acara ini."))
    if row is None:
        row = EventGroup(event_id=event.id, group_id=group.id)
        db.session.add(row)
    row.status, row.note, row.applied_by_id, row.applied_at = "applied", note, actor.id, utcnow()
    row.decided_by_id = row.decided_at = row.reason = None
    db.session.commit()
    return row


def withdraw(actor: User, slug: str, group_slug: str) -> EventGroup:
    """The chair or the treasurer takes the group out of an event (its stand's money is theirs to answer for)."""
    group = group_for(actor, group_slug, roles.WITHDRAW_EVENT)
    event = public_event(slug)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group.id))
    if row is None or row.status not in ("applied", "accepted"):
        raise Conflict(_("Kelompok ini tidak terdaftar di acara ini."))
    row.status = "withdrawn"
    db.session.commit()
    return row


def decide(actor: User, slug: str, group_id: int, decision: str, reason: str | None = None) -> EventGroup:
    event = event_for_officer(actor, slug)
    row = db.session.scalar(select(EventGroup).where(EventGroup.event_id == event.id, EventGroup.group_id == group_id))
    if row is None or row.status == "withdrawn":
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if decision not in ("accepted", "declined"):
        raise ValidationFailed(_("Pilih terima atau tolak."), {"decision": [_("Pilih terima atau tolak.")]})
    errors: dict[str, list[str]] = {}
    why = validate.text(reason, errors, "reason", max_len=500, min_len=3, required=decision == "declined")
    if errors:
        raise ValidationFailed(_("Tuliskan alasannya untuk kelompok."), errors)
    row.status, row.reason, row.decided_by_id, row.decided_at = decision, why, actor.id, utcnow()
    db.session.commit()
    return row


def applications(event: Event) -> list[EventGroup]:
    return list(
        db.session.scalars(select(EventGroup).where(EventGroup.event_id == event.id).order_by(EventGroup.applied_at))
    )


@dataclass
class GroupEvents:
    mine: list[EventGroup]  # the group's applications, newest event first
    open: list[Event]  # upcoming events it may still apply to


def events_of_group(actor: User, group_slug: str) -> tuple[Group, GroupEvents]:
    group = group_for_member(actor, group_slug)
    mine = list(
        db.session.scalars(
            select(EventGroup).where(EventGroup.group_id == group.id).order_by(EventGroup.applied_at.desc()).limit(50)
        )
    )
    taken = {row.event_id for row in mine if row.status != "withdrawn"}
    candidates = db.session.scalars(
        select(Event)
        .where(Event.ends_on >= today_wib(), Event.cancelled_at.is_(None), _open_to(group))
        .order_by(Event.starts_on)
        .limit(50)
    )
    return group, GroupEvents(mine, [e for e in candidates if e.id not in taken and may_join(e, group)])


def sale_events(group: Group) -> list[Event]:
    """The events a group took part in, for tagging a sales-book entry (the last year)."""
    return list(
        db.session.scalars(
            select(Event)
            .join(EventGroup, EventGroup.event_id == Event.id)
            .where(
                EventGroup.group_id == group.id,
                EventGroup.status == "accepted",
                Event.starts_on <= today_wib(),
                Event.ends_on >= today_wib() - timedelta(days=366),
            )
            .order_by(Event.starts_on.desc())
        )
    )


def events_to_answer(group: Group) -> tuple[int, int | None]:
    """How many events the group may still apply to (the events page's "Acara yang bisa diikuti": not over,
    not cancelled, open to its place, not applied to or withdrawn from), and the first one's id; none for a
    group not verified yet (it cannot apply)."""
    if not group.is_verified:
        return 0, None
    taken = exists().where(
        EventGroup.event_id == Event.id, EventGroup.group_id == group.id, EventGroup.status != "withdrawn"
    )
    count, first = db.session.execute(
        select(func.count(Event.id), func.min(Event.id)).where(
            Event.ends_on >= today_wib(), Event.cancelled_at.is_(None), _open_to(group), ~taken
        )
    ).one()
    return count, first
