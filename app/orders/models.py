from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import regions
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model


class OrderStatus(StrEnum):
    """Where a group's order is (its words: labels.STATUS_LABELS; its moves: status.MOVES)."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    INVOICED = "invoiced"  # a business buyer on terms: the group prepares it before the money comes
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class CheckoutStatus(StrEnum):
    """Where the payment of a checkout (one or more groups' orders) is."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    INVOICED = "invoiced"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


CHECKOUT_STATUSES = tuple(CheckoutStatus)
ORDER_STATUSES = tuple(OrderStatus)
# an order in these has been sold (paid, or on invoice, and onwards): what sales figures count
SOLD_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.INVOICED,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)
PAYMENT_METHODS = ("stripe", "bank_transfer", "invoice")
SHIPPING_METHODS = ("courier", "pickup", "event")  # event: picked up at a bazaar/exhibition
ZONES = ("dalam_provinsi", "satu_pulau", "antar_pulau")


class Checkout(Model):
    """One payment for a cart that may hold several groups' products: one order per group."""

    __tablename__ = "checkouts"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # a verified business buyer's checkout belongs to its organisation (its staff all see it)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    purchase_number: Mapped[str | None] = mapped_column(String(30))  # from an accepted quote
    # the business buyer's own purchase order number (its accounts department files by it)
    po_number: Mapped[str | None] = mapped_column(String(40), index=True)
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))
    access_key: Mapped[str] = mapped_column(String(48), unique=True)  # a guest's link to the orders
    ship_name: Mapped[str] = mapped_column(String(120))
    ship_phone: Mapped[str] = mapped_column(String(20))
    ship_street: Mapped[str] = mapped_column(String(255))
    ship_village: Mapped[str | None] = mapped_column(String(120))
    ship_district: Mapped[str] = mapped_column(String(120))
    ship_regency_code: Mapped[str] = mapped_column(String(8))
    ship_province_code: Mapped[str] = mapped_column(String(8))
    ship_postal_code: Mapped[str] = mapped_column(String(5))
    note: Mapped[str | None] = mapped_column(String(500))
    payment_method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default=CheckoutStatus.PENDING_PAYMENT, index=True)
    goods_idr: Mapped[int] = mapped_column(BigInteger)
    shipping_idr: Mapped[int] = mapped_column(BigInteger)
    total_idr: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id", lazy="selectin")

    @property
    def number(self) -> str:
        return f"CK{self.created_at:%y%m%d}-{self.id:06d}"

    @property
    def ship_regency_name(self) -> str:
        return regions.regency_name(self.ship_regency_code)

    @property
    def ship_province_name(self) -> str:
        return regions.province_name(self.ship_province_code)

    @property
    def delivers(self) -> bool:
        """Some order goes by courier; picked up everywhere, the pages show who collects, no address."""
        return any(o.shipping_method == "courier" for o in self.orders)


class Order(Model):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING_PAYMENT)
    shipping_method: Mapped[str] = mapped_column(String(10), default="courier")
    shipping_zone: Mapped[str | None] = mapped_column(String(16))
    # picked up at an event (shipping_method "event"): which one, and what the buyer was told (name, date, place)
    pickup_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    pickup_place: Mapped[str | None] = mapped_column(String(255))
    weight_g: Mapped[int] = mapped_column(default=0)
    goods_idr: Mapped[int] = mapped_column(BigInteger)
    shipping_idr: Mapped[int] = mapped_column(BigInteger)
    total_idr: Mapped[int] = mapped_column(BigInteger)
    # set when it is paid (app/orders/money.py): the group's fee and what the group receives; the buyer's
    # totals never change
    fee_idr: Mapped[int | None] = mapped_column(BigInteger)
    net_idr: Mapped[int | None] = mapped_column(BigInteger)
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    # by courier: the service the buyer chose and was charged for ("jne:reg"; "courier": the zone table's rate)
    shipping_option: Mapped[str | None] = mapped_column(String(60))
    shipping_option_name: Mapped[str | None] = mapped_column(String(120))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    group = relationship("Group", lazy="joined", innerjoin=True)
    lines: Mapped[list[OrderLine]] = relationship(
        order_by="OrderLine.id", lazy="selectin", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        order_by="OrderEvent.id", lazy="selectin", cascade="all, delete-orphan"
    )
    shipment: Mapped[Shipment | None] = relationship(
        lazy="selectin", uselist=False, cascade="all, delete-orphan", back_populates="order"
    )

    @property
    def number(self) -> str:
        return f"PU{self.created_at:%y%m%d}-{self.id:06d}"


class OrderLine(Model):
    """Name, unit, weight and price are copied: the order says what was bought, whatever changes later."""

    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(30))
    net_weight_g: Mapped[int]
    quantity: Mapped[int]
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)
    line_total_idr: Mapped[int] = mapped_column(BigInteger)

    review = relationship("Review", uselist=False, lazy="selectin", back_populates="line")
    # which lot(s) it took (app/catalog/lots.py), with their dates: "Lot X, kedaluwarsa 12 Mei 2027"
    lot_takes = relationship("LotTake", lazy="selectin", order_by="LotTake.id", viewonly=True)


class OrderEvent(Model):
    """Every move of an order's status, with who (None: the system) and when."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Shipment(Model):
    """An order handed to a courier: booked through Biteship (a pick-up, with its Biteship order and tracking
    ids) or a waybill the group got at the counter. Its status is the furthest the courier has reported."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    courier: Mapped[str] = mapped_column(String(20))  # jne, jnt, sicepat, anteraja, pos...
    service: Mapped[str | None] = mapped_column(String(40))
    waybill: Mapped[str | None] = mapped_column(String(60), index=True)
    booked: Mapped[bool] = mapped_column(default=False)  # a pick-up booked through Biteship
    provider_order_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    tracking_id: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(30))
    link: Mapped[str | None] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last asked by the periodic job

    order: Mapped[Order] = relationship(back_populates="shipment")
    events: Mapped[list[TrackingEvent]] = relationship(
        order_by="(TrackingEvent.at, TrackingEvent.id)", lazy="selectin", cascade="all, delete-orphan"
    )


class TrackingEvent(Model):
    """One step the courier reported, once per status (a replayed webhook or a poll adds nothing)."""

    __tablename__ = "tracking_events"
    __table_args__ = (UniqueConstraint("shipment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ShippingRate(Model):
    """Courier price by zone: the first kilogram, then each started kilogram more."""

    __tablename__ = "shipping_rates"

    zone: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_kg_idr: Mapped[int] = mapped_column(BigInteger)
    next_kg_idr: Mapped[int] = mapped_column(BigInteger)


class IdempotencyRecord(Model):
    """The first answer to a request sent with an Idempotency-Key, for its retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # empty while the first request with the key is being handled (the key is claimed first)
    status: Mapped[int | None]
    body: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def finished(self) -> bool:
        return self.status is not None


class Review(Model):
    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rating: Mapped[int]
    body: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    line: Mapped[OrderLine] = relationship(back_populates="review")
    user = relationship("User", lazy="joined")
