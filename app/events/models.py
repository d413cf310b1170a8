from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import regions
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

EVENT_KINDS = ("bazar", "pameran", "festival")
# who may take part: any verified group, the groups of the event's province, or of its kabupaten/kota
OPEN_TO = ("semua", "provinsi", "kabupaten")
TAKING_PART = ("applied", "accepted", "declined", "withdrawn")


class Event(Model):
    """A bazaar, exhibition or festival, published by an officer for their area (or an admin)."""

    __tablename__ = "events"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    regency_code: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(255))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    open_to: Mapped[str] = mapped_column(String(10), default="semua")
    description: Mapped[str | None] = mapped_column(String(1000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def regency_name(self) -> str:
        return regions.regency_name(self.regency_code)

    @property
    def province_name(self) -> str:
        return regions.province_name(self.province_code)


class EventGroup(Model):
    """A group's application to take part in an event, and the officer's decision."""

    __tablename__ = "event_groups"
    __table_args__ = (UniqueConstraint("event_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="applied")
    note: Mapped[str | None] = mapped_column(String(500))  # what the group will bring
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))

    event: Mapped[Event] = relationship(lazy="joined", innerjoin=True)
    group = relationship("Group", lazy="joined", innerjoin=True)
