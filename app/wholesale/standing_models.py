"""Standing orders: a business buyer's repeating order with one group, and the proposed orders its cycles
make (one per delivery date, never two)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

FREQUENCIES = ("weekly", "fortnightly", "monthly")
STANDING_STATUSES = ("active", "paused", "ended")
# proposed: waiting for the group; confirmed: it became an order; cancelled: the buyer paused or ended
PROPOSAL_STATUSES = ("proposed", "confirmed", "cancelled")


class StandingOrder(Model):
    __tablename__ = "standing_orders"
    __table_args__ = (
        CheckConstraint("lead_days >= 1", name="lead_days_positive"),
        CheckConstraint("weekday IS NULL OR (weekday >= 1 AND weekday <= 7)", name="weekday_iso"),
        CheckConstraint("day_of_month IS NULL OR (day_of_month >= 1 AND day_of_month <= 28)", name="day_of_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    address_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_addresses.id", ondelete="SET NULL"))
    frequency: Mapped[str] = mapped_column(String(12))  # weekly | fortnightly | monthly
    weekday: Mapped[int | None]  # ISO: 1 Monday … 7 Sunday (weekly, fortnightly)
    day_of_month: Mapped[int | None]  # 1 … 28 (monthly)
    first_delivery: Mapped[date] = mapped_column(Date)  # the cycles count from here (fortnightly: every 14 days)
    lead_days: Mapped[int] = mapped_column(default=3)  # the proposal comes this many days before delivery
    po_number: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation = relationship("Organisation", lazy="joined")
    group = relationship("Group", lazy="joined")
    created_by = relationship("User")
    address = relationship("DeliveryAddress", lazy="joined")
    lines: Mapped[list[StandingLine]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="StandingLine.id"
    )
    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="standing_order", lazy="selectin", order_by="Proposal.delivery_date.desc()"
    )

    @property
    def number(self) -> str:
        return f"SO{self.created_at:%y%m}-{self.id:05d}"


class StandingLine(Model):
    __tablename__ = "standing_order_lines"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standing_order_id: Mapped[int] = mapped_column(ForeignKey("standing_orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]

    product = relationship("Product", lazy="joined")


class Proposal(Model):
    """One cycle of a standing order: the order proposed for a delivery date, for the group to confirm."""

    __tablename__ = "standing_proposals"
    __table_args__ = (UniqueConstraint("standing_order_id", "delivery_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standing_order_id: Mapped[int] = mapped_column(ForeignKey("standing_orders.id", ondelete="CASCADE"), index=True)
    delivery_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    standing_order: Mapped[StandingOrder] = relationship(back_populates="proposals", lazy="joined")
    checkout = relationship("Checkout")
    lines: Mapped[list[ProposalLine]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ProposalLine.id"
    )

    @property
    def goods_idr(self) -> int:
        return sum(line.quantity * line.unit_price_idr for line in self.lines)


class ProposalLine(Model):
    __tablename__ = "standing_proposal_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_price_idr > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("standing_proposals.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)

    product = relationship("Product", lazy="joined")
