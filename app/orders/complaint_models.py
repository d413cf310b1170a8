"""A buyer's complaint about an order ("komplain"), its messages (each step, with who said what) and its
photos. The rules are in complaints.py; the refund it ends with in complaint_refunds.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model


class ComplaintStatus(StrEnum):
    OPEN = "open"  # waiting for the group's answer
    ANSWERED = "answered"  # the group answered: the buyer accepts or escalates
    ESCALATED = "escalated"  # an admin decides
    RESOLVED = "resolved"


REASONS = ("damaged", "wrong_item", "missing", "expired", "not_as_described", "not_received")
RESOLUTIONS = ("refund", "partial_refund", "replace", "reject")
# a complaint not resolved holds its order: it does not complete, its money stays pending
UNRESOLVED = (ComplaintStatus.OPEN, ComplaintStatus.ANSWERED, ComplaintStatus.ESCALATED)


class RefundState(StrEnum):
    SENDING = "sending"  # written, the provider not asked yet
    SENT = "sent"  # the provider (Stripe, Midtrans) refunded it
    FAILED = "failed"  # the provider refused or could not be reached: an admin tries again
    BY_HAND = "by_hand"  # an admin transfers it to the buyer's bank account
    PAID = "paid"  # transferred by hand, the bank's reference recorded


class Complaint(Model):
    __tablename__ = "complaints"
    __table_args__ = (
        # one complaint not resolved per order (two requests at once: the second gets 409)
        Index(
            "uq_complaints_order_unresolved",
            "order_id",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default=ComplaintStatus.OPEN, index=True)
    # the answer on the table (the group's, then the admin's decision) and, once resolved, what was refunded
    resolution: Mapped[str | None] = mapped_column(String(16))
    amount_idr: Mapped[int | None] = mapped_column(BigInteger)
    # the answer asks for the goods back (a full refund or a replacement): a return, return_models.py
    return_goods: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    refund_idr: Mapped[int | None] = mapped_column(BigInteger)
    refund_state: Mapped[str | None] = mapped_column(String(10), index=True)
    refund_reference: Mapped[str | None] = mapped_column(String(120))
    # where a refund made by hand goes (a bank transfer or a virtual account paid): the buyer gives it
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account_number: Mapped[str | None] = mapped_column(String(40))
    bank_account_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order = relationship("Order", lazy="joined", innerjoin=True)
    messages: Mapped[list[ComplaintMessage]] = relationship(
        order_by="ComplaintMessage.id", lazy="selectin", cascade="all, delete-orphan"
    )
    photos: Mapped[list[ComplaintPhoto]] = relationship(
        order_by="ComplaintPhoto.id", lazy="selectin", cascade="all, delete-orphan"
    )


class ComplaintMessage(Model):
    """One step: who (buyer, group, admin, system), what it did (opened, answered, accepted, escalated,
    decided, refunded) and what it wrote."""

    __tablename__ = "complaint_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(12))
    resolution: Mapped[str | None] = mapped_column(String(16))
    amount_idr: Mapped[int | None] = mapped_column(BigInteger)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ComplaintPhoto(Model):
    """A photo of what arrived: private (storage folder "complaints"), seen by the buyer, the group, admins."""

    __tablename__ = "complaint_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
