"""Consignment (konsinyasi): a group's goods placed at a store, paid for when they sell."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

AGREEMENT_STATUSES = ("proposed", "active", "ended")


class ConsignmentAgreement(Model):
    """The store's terms: a commission the store keeps on the group's price, or a buying price per unit
    (set per product when goods are placed); the settlement period; the return rule."""

    __tablename__ = "consignment_agreements"
    __table_args__ = (
        CheckConstraint(
            "commission_percent IS NULL OR (commission_percent >= 0 AND commission_percent < 100)", name="commission"
        ),
        CheckConstraint("settlement_days > 0", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    commission_percent: Mapped[int | None]  # None: the store pays a buying price per unit
    settlement_days: Mapped[int] = mapped_column(default=30)
    return_near_expiry_days: Mapped[int] = mapped_column(default=30)  # goods this close to expiry go back
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_settled_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group = relationship("Group")
    organisation = relationship("Organisation")
    stocks: Mapped[list[ConsignedStock]] = relationship(
        back_populates="agreement", order_by="ConsignedStock.id", cascade="all, delete-orphan"
    )


class ConsignedStock(Model):
    """One product at one store: how many were placed, reported sold, invoiced, and returned. What is
    still at the store is placed - sold - returned (never below zero: the updates are conditional)."""

    __tablename__ = "consigned_stock"
    __table_args__ = (
        UniqueConstraint("agreement_id", "product_id"),
        CheckConstraint("placed >= sold + returned", name="at_store"),
        CheckConstraint("settled <= sold", name="settled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("consignment_agreements.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)  # what the store pays per unit sold
    placed: Mapped[int] = mapped_column(default=0)
    sold: Mapped[int] = mapped_column(default=0)
    settled: Mapped[int] = mapped_column(default=0)
    returned: Mapped[int] = mapped_column(default=0)

    agreement: Mapped[ConsignmentAgreement] = relationship(back_populates="stocks")
    product = relationship("Product")

    @property
    def at_store(self) -> int:
        return self.placed - self.sold - self.returned

    @property
    def unsettled(self) -> int:
        return self.sold - self.settled
