from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, ForeignKey, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

HELD_REVIEWS = ("open", "rejected")  # an entry waiting for an officer, or refused by one: it counts nowhere


class OfflineSale(Model):
    """A sale a group made outside the platform, declared by a member. Never deleted: a correction is a
    new entry that replaces this one, with who, when and why."""

    __tablename__ = "offline_sales"
    __table_args__ = (CheckConstraint("total_idr >= 0", name="total_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    sold_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(120))  # e.g. "Pasar Segiri", "Bazar HUT Kota"
    note: Mapped[str | None] = mapped_column(String(500))
    reduce_stock: Mapped[bool] = mapped_column(default=False)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    total_idr: Mapped[int] = mapped_column(BigInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("offline_sales.id", ondelete="SET NULL"))
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # far above the group's history (services.review_limit): "open" until an officer "accepted" or
    # "rejected" it; None: nothing to check. Until accepted it counts in no figure but the book's list.
    review_status: Mapped[str | None] = mapped_column(String(16), index=True)
    review_limit_idr: Mapped[int | None] = mapped_column(BigInteger)  # the month's limit it went above
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_reason: Mapped[str | None] = mapped_column(String(500))

    lines: Mapped[list[OfflineSaleLine]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OfflineSaleLine.id"
    )
    recorded_by = relationship("User", foreign_keys=[recorded_by_id], lazy="joined")

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None

    @property
    def held(self) -> bool:
        """Waiting for an officer, or refused by one: not counted."""
        return self.review_status in HELD_REVIEWS


def declared_counts():
    """The declared sales that count (the one definition every figure of the sales book uses): current
    entries (not replaced by a correction) that needed no check or that an officer accepted."""
    return and_(
        OfflineSale.replaced_by_id.is_(None),
        or_(OfflineSale.review_status.is_(None), OfflineSale.review_status == "accepted"),
    )


def declared_held():
    """Current entries waiting for an officer's check or refused by one: shown apart, never counted."""
    return and_(OfflineSale.replaced_by_id.is_(None), OfflineSale.review_status.in_(HELD_REVIEWS))


class OfflineSaleLine(Model):
    __tablename__ = "offline_sale_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("amount_idr >= 0", name="amount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("offline_sales.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int]
    amount_idr: Mapped[int] = mapped_column(BigInteger)  # what the line brought in, in all


class SalesStatement(Model):
    """A group's sales statement for a lender ("Rekap penjualan"): the figures as issued are kept as a
    snapshot with its SHA-256, so the verification page shows exactly what was issued and can tell if
    anything was changed; it expires, and the chair may revoke it."""

    __tablename__ = "sales_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    months: Mapped[int]
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # the last day counted
    snapshot: Mapped[dict] = mapped_column(JSON)
    snapshot_hash: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
