"""Shapes of /api/v1: checkouts, orders and their payments (Stripe, Midtrans)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import GroupName, IdIn, In, Out

# the ways to pay, as checkouts take them and payments name them
PaymentMethodCode = Literal[
    "stripe",
    "bank_transfer",
    "invoice",
    "at_stand",
    "qris",
    "va_bca",
    "va_bni",
    "va_bri",
    "va_mandiri",
    "va_permata",
    "gopay",
    "shopeepay",
]


class MidtransNotificationIn(BaseModel):
    """Midtrans's HTTP notification, as its documentation describes it (for the OpenAPI document: the view
    reads Midtrans's JSON as sent, checks signature_key and confirms the status with Midtrans)."""

    model_config = ConfigDict(extra="allow")
    order_id: str
    status_code: str
    gross_amount: str
    signature_key: str
    transaction_status: str | None = None
    transaction_id: str | None = None
    payment_type: str | None = None
    fraud_status: str | None = None


class CheckoutItemIn(In):
    product_id: IdIn
    quantity: int = Field(ge=1, le=10_000)


class AddressIn(In):
    """name and phone always; the rest is needed (422 without it) when some group sends by courier."""

    name: str = Field(max_length=120)
    phone: str = Field(max_length=30)
    street: str | None = Field(default=None, max_length=255, description="Needed for a courier delivery")
    village: str | None = Field(default=None, max_length=120)
    district: str | None = Field(
        default=None,
        max_length=120,
        description="Kecamatan of the regency, by name or code (e.g. 64.72.03); needed for a courier delivery",
    )
    regency: str | None = Field(default=None, max_length=8, description="Regency code; needed for a courier delivery")
    province: str | None = Field(default=None, max_length=8, description="Province code")
    postal_code: str | None = Field(
        default=None,
        max_length=5,
        min_length=5,
        description="One of the kecamatan's postal codes; needed for a courier delivery",
    )


ShippingCode = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+(:[a-z0-9_]+)?$")]


class CheckoutIn(In):
    items: list[CheckoutItemIn] = Field(min_length=1, max_length=50)
    shipping_address: AddressIn
    payment_method: PaymentMethodCode = Field(
        description="at_stand: paid at the group's stand when collected at an event (one group, picked up there); "
        "qris, va_<bank>, gopay, shopeepay: through Midtrans, where configured"
    )
    note: str | None = Field(default=None, max_length=500)
    shipping_methods: dict[str, Literal["courier", "pickup", "event"]] = Field(
        default_factory=dict,
        description="Group slug -> courier (default), pickup at the group, or event: picked "
        "up at an event the group takes part in (named in pickup_events)",
    )
    pickup_events: dict[str, IdIn] = Field(
        default_factory=dict, description="Group slug -> id of the event to collect at (GET /events)"
    )
    shipping_options: dict[str, ShippingCode] = Field(
        default_factory=dict,
        description="Group slug -> one of the codes POST /checkouts/quote offered it: courier:service "
        "(e.g. jne:reg), pickup or event:<id>; it overrides shipping_methods. A code not offered: 422. The "
        "shipping charged is that option's rate, quoted again when the checkout is placed",
    )
    po_number: str | None = Field(
        default=None,
        max_length=40,
        description="A business buyer's own purchase order number: on its orders and invoices",
    )


class StatusIn(In):
    status: Literal["processing", "shipped", "delivered", "cancelled", "completed"]
    tracking_number: str | None = Field(default=None, max_length=60)
    reason: str | None = Field(default=None, max_length=500)


class LineOut(Out):
    product_id: int | None
    name: str
    quantity: int
    unit_price_idr: int
    line_total_idr: int


class EventOut(Out):
    status: str
    at: datetime
    note: str | None


class OrderOut(Out):
    id: int
    number: str
    checkout_id: int
    group: GroupName
    status: str
    lines: list[LineOut]
    goods_idr: int
    shipping_idr: int
    total_idr: int
    fee_idr: int | None = Field(
        default=None, description="Once paid: the group's fee (platform fee, and the provider's cost if groups bear it)"
    )
    net_idr: int | None = Field(default=None, description="Once paid: what the group receives for it (total less fee)")
    shipping_method: Literal["courier", "pickup", "event"]
    pickup_event_id: int | None = Field(default=None, description="With shipping_method event: where it is collected")
    pickup_place: str | None = Field(
        default=None, description="The event's name, dates and address, as the buyer was told"
    )
    tracking_number: str | None
    po_number: str | None = Field(default=None, description="The buyer's own purchase order number, if it gave one")
    events: list[EventOut]
    created_at: datetime
    next_statuses: list[str] = Field(
        default_factory=list, description="The moves the caller may make now, as the pages offer them"
    )


class MidtransOut(Out):
    qr_string: str | None = Field(default=None, description="QRIS: the QR code's content (any bank or e-wallet app)")
    bank: str | None = Field(default=None, description="Virtual account: bca, bni, bri, permata, mandiri")
    va_number: str | None = None
    biller_code: str | None = Field(default=None, description="Mandiri Bill Payment: company code")
    bill_key: str | None = Field(default=None, description="Mandiri Bill Payment: payment code")
    deeplink_redirect: str | None = Field(default=None, description="GoPay/ShopeePay: opens the app to pay")
    expiry_time: str | None = None


class PaymentOut(Out):
    method: PaymentMethodCode
    status: str
    amount_idr: int
    client_secret: str | None = None
    publishable_key: str | None = None
    bank: dict | None = None
    transfer_code: str | None = Field(
        default=None,
        description="Bank transfer: the code the buyer writes in the transfer's description (berita/keterangan); "
        "the payee finds the transfer by it",
    )
    midtrans: MidtransOut | None = Field(default=None, description="How to pay a Midtrans charge")
    pay_before: datetime


class CheckoutOut(Out):
    id: int
    number: str
    status: str
    goods_idr: int
    shipping_idr: int
    total_idr: int
    po_number: str | None = Field(default=None, description="The buyer's own purchase order number, if it gave one")
    orders: list[OrderOut]
    payment: PaymentOut


class OrderList(Out):
    items: list[OrderOut]
    next_cursor: str | None


class CartQuoteIn(CheckoutIn):
    """The body of POST /checkouts; payment_method is not needed to quote."""

    payment_method: PaymentMethodCode | None = None  # type: ignore[assignment]


class ShippingOptionOut(Out):
    code: str = Field(
        description="courier:service (e.g. jne:reg; courier: the zone table's rate), pickup or event:<id>"
    )
    name: str
    price_idr: int
    etd_days: int | None = Field(description="Arrives within this many days, as the courier says; null: not said")


class QuoteGroupOut(Out):
    group: GroupName
    options: list[ShippingOptionOut]
    chosen: str | None = Field(description="The option this quote charges (the one named, else the cheapest)")
    goods_idr: int
    shipping_idr: int


class CartQuoteOut(Out):
    groups: list[QuoteGroupOut]
    goods_idr: int
    shipping_idr: int
    total_idr: int


class ShipmentIn(In):
    courier: str = Field(min_length=2, max_length=20, description="jne, jnt, sicepat, anteraja, pos, ...")
    service: str | None = Field(default=None, max_length=40, description="e.g. reg; default: the one the buyer chose")
    waybill: str | None = Field(
        default=None, max_length=60, description="From the counter; without it a pick-up is booked (where configured)"
    )


class ShipmentOut(Out):
    courier: str
    service: str | None
    waybill: str | None
    status: str


class TrackingEventOut(Out):
    at: datetime
    status: str
    description: str | None


class TrackingOut(Out):
    courier: str
    waybill: str | None
    status: str
    events: list[TrackingEventOut]
