"""A return: the goods of a complaint going back from the buyer to the group, a parcel of its own (its own
waybill, booked through Biteship or typed from the counter, its own tracking steps). Outbound parcels are
`shipments` (one per order); returns are here. The rules are in returns.py and return_tracking.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

# who pays the return's courier: the group when the fault is its own (what it sent was broken, wrong, past
# its date or not what it said), else the buyer
GROUP_FAULTS = ("damaged", "wrong_item", "expired", "not_as_described")
WAITING = "waiting"  # asked for, the buyer has not handed the parcel to a courier yet
LAPSED = "lapsed"  # not sent in RETURN_SEND_DAYS: the refund that waited is not paid (return_lapse.py)


def payer_for(reason: str) -> str:
    return "group" if reason in GROUP_FAULTS else "buyer"


class ReturnShipment(Model):
    __tablename__ = "return_shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    payer: Mapped[str] = mapped_column(String(8))  # group | buyer: who pays the courier
    refund_waits: Mapped[bool] = mapped_column(default=False)  # the complaint's refund is paid on arrival
    courier: Mapped[str | None] = mapped_column(String(20))
    service: Mapped[str | None] = mapped_column(String(40))
    waybill: Mapped[str | None] = mapped_column(String(60), index=True)
    booked: Mapped[bool] = mapped_column(default=False)  # a pick-up booked through Biteship
    provider_order_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    tracking_id: Mapped[str | None] = mapped_column(String(64), index=True)
    price_idr: Mapped[int | None] = mapped_column(BigInteger)  # the booked pick-up's rate
    status: Mapped[str] = mapped_column(String(30), default=WAITING)
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the group has the goods back
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last asked by the periodic job

    complaint = relationship("Complaint", lazy="joined", innerjoin=True)
    events: Mapped[list[ReturnEvent]] = relationship(
        order_by="(ReturnEvent.at, ReturnEvent.id)", lazy="selectin", cascade="all, delete-orphan"
    )


class ReturnEvent(Model):
    """One step of a return's parcel, once per status (a replayed webhook or a poll adds nothing)."""

    __tablename__ = "return_events"
    __table_args__ = (UniqueConstraint("return_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return_shipments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
