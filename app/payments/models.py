from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.orders.models import Checkout

PAYMENT_STATUSES = ("pending", "processing", "succeeded", "failed", "cancelled")


class Payment(Model):
    """The one payment of a checkout. Amounts are rupiah; provider units live in the adapter."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id", ondelete="CASCADE"), unique=True)
    method: Mapped[str] = mapped_column(String(16))
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    provider_ref: Mapped[str | None] = mapped_column(String(100), index=True)  # Stripe PaymentIntent id
    client_secret: Mapped[str | None] = mapped_column(String(200))
    # bank transfer: where to pay, the buyer's proof, who confirmed it
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account_number: Mapped[str | None] = mapped_column(String(40))
    bank_account_name: Mapped[str | None] = mapped_column(String(120))
    # what the buyer writes in the transfer's description, to tell transfers of the same amount apart
    transfer_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    payee_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    proof_key: Mapped[str | None] = mapped_column(String(200))
    proof_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the payee could not find the money: the buyer sees why and sends a new proof
    proof_refused_reason: Mapped[str | None] = mapped_column(String(500))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    # Midtrans: how to pay (qr_string, bank and va_number, biller_code and bill_key, deeplink_redirect) and
    # its transaction id; the charge's order_id is provider_ref (our checkout's reference)
    provider_data: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    checkout: Mapped[Checkout] = relationship("Checkout", backref="payment_rows")

    @property
    def proof_waiting(self) -> bool:
        """A proof that the payee has still to look at."""
        return bool(self.proof_key) and not self.proof_refused_reason and self.status != "succeeded"


class StripeEvent(Model):
    """A webhook event handled once: its id is stored in the same transaction as its effect."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MidtransNotification(Model):
    """A Midtrans HTTP notification, stored once (the same body again is a duplicate) with the effect
    it had after the status call confirmed it."""

    __tablename__ = "midtrans_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of what identifies the notification
    order_id: Mapped[str] = mapped_column(String(100), index=True)
    transaction_status: Mapped[str] = mapped_column(String(20))
    confirmed_status: Mapped[str | None] = mapped_column(String(20))  # what the status call answered
    effect: Mapped[str] = mapped_column(String(20))  # paid | expired | none
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
