from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core import regions
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

ORG_TYPES = ("hotel", "supermarket", "shop", "restaurant", "office", "exporter", "government", "soe", "other")
# buyers whose treasurer withholds income tax on goods bought (PPh 22): government offices and state-owned firms
WITHHOLDING_TYPES = ("government", "soe")
ORG_STATUSES = ("pending", "verified", "rejected")
TERMS = (0, 14, 30)


class Organisation(regions.InRegion, Model):
    """A business buyer: hotel, supermarket, shop, restaurant, office, exporter."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    type: Mapped[str] = mapped_column(String(16))
    npwp: Mapped[str | None] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    regency_code: Mapped[str] = mapped_column(String(8), index=True)
    address: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    payment_terms_days: Mapped[int] = mapped_column(default=0)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status_reason: Mapped[str | None] = mapped_column(String(500))
    # the shelf life an order of this buyer must still have (app/catalog/lots.py ShelfRule): days, and/or a
    # share in percent of the lot's whole shelf life (67: two thirds)
    min_shelf_days: Mapped[int | None]
    min_shelf_percent: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"


class OrganisationStaff(Model):
    __tablename__ = "organisation_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)  # one org a user
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user = relationship("User", lazy="joined")


# The business a person staffs (one at most): the header of every signed-in page asks it, so it is loaded
# with her session (wholesale/area.py); User lives in the layer below and does not name it itself
setattr(User, "business_staff", relationship(OrganisationStaff, uselist=False, viewonly=True))  # noqa: B010


class DeliveryAddress(Model):
    """An outlet of a business buyer, kept for its next orders."""

    __tablename__ = "delivery_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(255))
    village: Mapped[str | None] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120))
    regency_code: Mapped[str] = mapped_column(String(8))
    province_code: Mapped[str] = mapped_column(String(8))
    postal_code: Mapped[str] = mapped_column(String(5))


class QuoteRequest(Model):
    """A business buyer asks for a quantity by a date and place; groups answer with offers."""

    __tablename__ = "quote_requests"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int]
    needed_by: Mapped[date] = mapped_column(Date)
    delivery_regency_code: Mapped[str] = mapped_column(String(8))
    delivery_province_code: Mapped[str] = mapped_column(String(8))
    # an export quote: asked in US dollars (at the admin's rate of the day, kept here), with the Incoterm
    # and where it goes; offers are still made, and settled, in rupiah
    currency: Mapped[str] = mapped_column(String(3), default="IDR", server_default="IDR")
    idr_per_usd: Mapped[int | None] = mapped_column(BigInteger)
    incoterm: Mapped[str | None] = mapped_column(String(3))  # FOB or CIF
    destination_country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    destination_port: Mapped[str | None] = mapped_column(String(120))
    # open: offers may be accepted; accepted: the accepted offers cover the quantity; closed: the buyer
    # closed it (with or without acceptances)
    status: Mapped[str] = mapped_column(String(16), default="open")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    product = relationship("Product")
    category = relationship("Category")
    offers: Mapped[list[Offer]] = relationship(back_populates="quote", order_by="Offer.unit_price_idr", lazy="selectin")
    recipients: Mapped[list[QuoteRecipient]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def number(self) -> str:
        return f"RFQ{self.created_at:%y%m}-{self.id:05d}"

    @property
    def purchase_number(self) -> str:
        return f"PO{self.created_at:%y%m}-{self.id:05d}"

    @property
    def accepted_quantity(self) -> int:
        return sum(o.taken_quantity for o in self.offers if o.status == "accepted")

    @property
    def uncovered_quantity(self) -> int:
        return max(0, self.quantity - self.accepted_quantity)


class QuoteRecipient(Model):
    """A group asked to answer a quote request."""

    __tablename__ = "quote_recipients"
    __table_args__ = (UniqueConstraint("quote_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote_requests.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)


class Offer(Model):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_price_idr > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote_requests.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    # the least the buyer may take of it (None: any part); what the buyer took, once accepted (None: all)
    min_quantity: Mapped[int | None]
    accepted_quantity: Mapped[int | None]
    lead_time_days: Mapped[int]
    # True: the quantity comes from the stock the group has now (checked when the offer is made, taken
    # on acceptance); False: made to order in lead_time_days, current stock untouched
    from_stock: Mapped[bool] = mapped_column(default=True)
    # delivery to the quote's kabupaten/kota, priced when the offer is made: what the buyer accepts is
    # what the invoice says
    shipping_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | declined
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    quote: Mapped[QuoteRequest] = relationship(back_populates="offers")
    group = relationship("Group", lazy="joined")
    product = relationship("Product", lazy="joined")

    @property
    def goods_idr(self) -> int:
        return self.unit_price_idr * self.quantity

    @property
    def total_idr(self) -> int:
        return self.goods_idr + self.shipping_idr

    @property
    def taken_quantity(self) -> int:
        return self.accepted_quantity or self.quantity

    def shipping_for(self, quantity: int) -> int:
        """Shipping for a part of the offer: its share of the offer's shipping, rounded up to the rupiah."""
        return -(-self.shipping_idr * quantity // self.quantity)


class InvoiceCounter(Model):
    """The last invoice number of a year: taken under the row's lock, so numbers never repeat or skip."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Invoice(Model):
    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    sequence: Mapped[int]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="unpaid")  # unpaid | paid | void
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    order = relationship("Order", lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def number(self) -> str:
        return f"INV/{self.year}/{self.sequence:06d}"


class Partnership(Model):
    """A recorded agreement between a group and a business buyer (repeat trade counts on its own)."""

    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("group_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
