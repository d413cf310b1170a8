"""Request and response shapes of /api/v1 (pydantic). Requests forbid unknown fields; the OpenAPI
document is generated from these same classes."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.inputs import MAX_ID

Qty = Field(ge=1, le=1_000_000)
IdIn = Annotated[int, Field(ge=1, le=MAX_ID, description="A row id (1 to 2147483647)")]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- requests

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


class TokenIn(In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class AccountIn(In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=30)


BusinessType = Literal["industri_rumah_tangga", "pertanian", "jasa", "peternakan", "lainnya"]


class GroupIn(In):
    name: str = Field(max_length=120)
    province: str = Field(max_length=8, description="Province code from GET /regions")
    regency: str = Field(max_length=8, description="Regency code from GET /regions/{code}")
    district: str | None = Field(default=None, max_length=120)
    village: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=255)
    business_type: BusinessType
    founded_year: int | None = None
    member_count: int = Field(ge=1, le=10_000)
    story: str | None = Field(default=None, max_length=5000)
    whatsapp: str | None = Field(default=None, max_length=30)


class MemberIn(In):
    email: str = Field(max_length=254)
    role: Literal["member", "chair"] = "member"


class TierIn(In):
    min_qty: int = Field(ge=2, le=1_000_000)
    unit_price_idr: int = Field(ge=1, le=1_000_000_000)


PermitType = Literal["bpom_md", "bpom_ml", "bpom_na", "pirt", "halal"]


class PermitIn(In):
    type: PermitType
    number: str = Field(max_length=60)
    issued_on: date | None = None
    expires_on: date | None = None
    status: Literal["in_process", "submitted"] = "submitted"


class ProductIn(In):
    name: str = Field(max_length=120)
    category: str = Field(max_length=40, description="A category slug from GET /categories")
    description: str = Field(default="", max_length=5000)
    ingredients: str | None = Field(default=None, max_length=2000)
    unit: str = Field(default="bungkus", max_length=30)
    net_weight_g: int = Field(ge=1, le=1_000_000)
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    price_idr: int = Field(ge=100, le=1_000_000_000)
    stock: int = Field(default=0, ge=0, le=1_000_000)
    min_order_qty: int = Field(default=1, ge=1, le=1_000_000)
    price_tiers: list[TierIn] = Field(default_factory=list, max_length=5)
    permits: list[PermitIn] = Field(default_factory=list, max_length=5)
    status: Literal["draft", "active", "archived"] = "draft"


class ProductPatch(In):
    name: str | None = Field(default=None, max_length=120)
    category: str | None = Field(default=None, max_length=40)
    description: str | None = Field(default=None, max_length=5000)
    ingredients: str | None = Field(default=None, max_length=2000)
    unit: str | None = Field(default=None, max_length=30)
    net_weight_g: int | None = Field(default=None, ge=1, le=1_000_000)
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    price_idr: int | None = Field(default=None, ge=100, le=1_000_000_000)
    stock: int | None = Field(default=None, ge=0, le=1_000_000)
    min_order_qty: int | None = Field(default=None, ge=1, le=1_000_000)
    price_tiers: list[TierIn] | None = Field(default=None, max_length=5)
    permits: list[PermitIn] | None = Field(default=None, max_length=5)
    status: Literal["draft", "active", "archived"] | None = None


# ---------------------------------------------------------------- responses

class TokenOut(Out):
    token: str
    token_type: Literal["Bearer"]
    expires_at: datetime


class AccountOut(Out):
    id: int
    email: str
    name: str


class MeGroup(Out):
    slug: str
    name: str
    role: Literal["member", "chair"]
    status: str


class MeOut(Out):
    id: int
    email: str
    name: str
    phone: str | None
    roles: list[str]
    scope: dict | None
    groups: list[MeGroup]
    organisation: dict | None


class GroupRef(Out):
    slug: str
    name: str
    province: str
    regency: str


class GroupOut(Out):
    slug: str
    name: str
    province: str
    province_name: str
    regency: str
    regency_name: str
    district: str | None
    village: str | None
    business_type: str
    founded_year: int | None
    member_count: int
    story: str | None
    whatsapp: str | None
    status: str
    created_at: datetime


class MemberOut(Out):
    email: str
    name: str
    role: str


class InvitationOut(Out):
    """An invitation e-mailed to the address; the person joins on accepting (an account is made then
    if there is none). The answer is the same whether or not the address has an account."""
    email: str
    role: str | None
    expires_at: datetime


class TierOut(Out):
    min_qty: int
    unit_price_idr: int


class PermitOut(Out):
    id: int
    type: PermitType
    number: str
    status: Literal["in_process", "submitted", "verified", "rejected", "expired"]
    expires_on: date | None


class PhotoOut(Out):
    id: int
    status: Literal["ready", "processing", "failed"] = Field(
        description="processing: stored, its sizes are being made (url null, variants empty) until ready; "
                    "failed: the file could not be read and is never shown")
    url: str | None
    width: int
    height: int
    variants: dict[str, str]


class Rating(Out):
    average: float | None
    count: int


class ProductItem(Out):
    id: int
    slug: str
    name: str
    category: str
    price_idr: int
    unit: str
    net_weight_g: int
    stock: int
    min_order_qty: int
    price_tiers: list[TierOut]
    group: GroupRef
    permits: list[PermitOut]
    photos: list[PhotoOut]
    rating: Rating
    export_ready: bool = Field(default=False, description="Listed for export: English page at /export/p/{id}")


class ProductDetail(ProductItem):
    description: str
    ingredients: str | None
    shelf_life_days: int | None
    status: Literal["draft", "active", "archived"]


class ProductList(Out):
    items: list[ProductItem]
    next_cursor: str | None


class GroupList(Out):
    items: list[GroupOut]
    next_cursor: str | None


class CategoryOut(Out):
    slug: str
    name: str


class CategoryList(Out):
    items: list[CategoryOut]


class RegionOut(Out):
    code: str
    name: str


class RegionList(Out):
    items: list[RegionOut]


class ProvinceOut(Out):
    code: str
    name: str
    regencies: list[RegionOut]


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    request_id: str | None = Field(default=None, description="Also in the X-Request-ID header and the logs: "
                                                            "quote it when reporting a problem")


# ---------------------------------------------------------------- buying

class CheckoutItemIn(In):
    product_id: IdIn
    quantity: int = Field(ge=1, le=10_000)


class AddressIn(In):
    name: str = Field(max_length=120)
    phone: str = Field(max_length=30)
    street: str = Field(max_length=255)
    village: str | None = Field(default=None, max_length=120)
    district: str = Field(max_length=120)
    regency: str = Field(max_length=8, description="Regency code")
    province: str = Field(max_length=8, description="Province code")
    postal_code: str = Field(max_length=5, min_length=5)


class CheckoutIn(In):
    items: list[CheckoutItemIn] = Field(min_length=1, max_length=50)
    shipping_address: AddressIn
    payment_method: Literal["stripe", "bank_transfer", "invoice", "at_stand", "qris", "va_bca", "va_bni", "va_bri",
                            "va_mandiri", "va_permata", "gopay", "shopeepay"] = Field(
        description="at_stand: paid at the group's stand when collected at an event (one group, picked up there); "
                    "qris, va_<bank>, gopay, shopeepay: through Midtrans, where configured")
    note: str | None = Field(default=None, max_length=500)
    shipping_methods: dict[str, Literal["courier", "pickup", "event"]] = Field(
        default_factory=dict, description="Group slug -> courier (default), pickup at the group, or event: picked "
                                          "up at an event the group takes part in (named in pickup_events)")
    pickup_events: dict[str, IdIn] = Field(default_factory=dict,
                                           description="Group slug -> id of the event to collect at (GET /events)")


class StatusIn(In):
    status: Literal["processing", "shipped", "delivered", "cancelled", "completed"]
    tracking_number: str | None = Field(default=None, max_length=60)
    reason: str | None = Field(default=None, max_length=500)


class GroupName(Out):
    slug: str
    name: str


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
    shipping_method: Literal["courier", "pickup", "event"]
    pickup_event_id: int | None = Field(default=None, description="With shipping_method event: where it is collected")
    pickup_place: str | None = Field(default=None, description="The event's name, dates and address, as the buyer was told")
    tracking_number: str | None
    events: list[EventOut]
    created_at: datetime


class MidtransOut(Out):
    qr_string: str | None = Field(default=None, description="QRIS: the QR code's content (any bank or e-wallet app)")
    bank: str | None = Field(default=None, description="Virtual account: bca, bni, bri, permata, mandiri")
    va_number: str | None = None
    biller_code: str | None = Field(default=None, description="Mandiri Bill Payment: company code")
    bill_key: str | None = Field(default=None, description="Mandiri Bill Payment: payment code")
    deeplink_redirect: str | None = Field(default=None, description="GoPay/ShopeePay: opens the app to pay")
    expiry_time: str | None = None


class PaymentOut(Out):
    method: Literal["stripe", "bank_transfer", "invoice", "at_stand", "qris", "va_bca", "va_bni", "va_bri",
                    "va_mandiri", "va_permata", "gopay", "shopeepay"]
    status: str
    amount_idr: int
    client_secret: str | None = None
    publishable_key: str | None = None
    bank: dict | None = None
    midtrans: MidtransOut | None = Field(default=None, description="How to pay a Midtrans charge")
    pay_before: datetime


class CheckoutOut(Out):
    id: int
    number: str
    status: str
    goods_idr: int
    shipping_idr: int
    total_idr: int
    orders: list[OrderOut]
    payment: PaymentOut


class OrderList(Out):
    items: list[OrderOut]
    next_cursor: str | None


# ---------------------------------------------------------------- wholesale

OrgType = Literal["hotel", "supermarket", "shop", "restaurant", "office", "exporter", "other"]


class OrganisationIn(In):
    name: str = Field(max_length=160)
    type: OrgType
    npwp: str | None = Field(default=None, max_length=25)
    province: str = Field(max_length=8)
    regency: str = Field(max_length=8)
    address: str | None = Field(default=None, max_length=255)


class StaffIn(In):
    email: str = Field(max_length=254)


class VerifyOrgIn(In):
    payment_terms_days: Literal[0, 14, 30] = 0


class OrganisationOut(Out):
    id: int
    name: str
    type: str
    npwp: str | None
    province: str
    regency: str
    status: str
    payment_terms_days: int
    created_at: datetime


class QuoteIn(In):
    product_id: IdIn | None = None
    category: str | None = Field(default=None, max_length=40)
    description: str = Field(max_length=2000)
    quantity: int = Field(ge=1, le=1_000_000)
    needed_by: date
    delivery_regency: str | None = Field(default=None, max_length=8,
                                         description="Required, except for an export quote (the group's own place)")
    export: bool = Field(default=False, description="An export quote for an export-ready product: in US dollars at "
                                                    "the admin's rate, with incoterm and destination_country")
    incoterm: Literal["FOB", "CIF"] | None = None
    destination_country: str | None = Field(default=None, max_length=2, description="ISO 3166-1 alpha-2, e.g. MY")
    destination_port: str | None = Field(default=None, max_length=120, description="Required for CIF")


class OfferIn(In):
    unit_price_idr: int = Field(ge=100, le=1_000_000_000)
    quantity: int = Field(ge=1, le=1_000_000)
    lead_time_days: int = Field(ge=0, le=365)
    valid_until: date
    product_id: IdIn | None = Field(default=None, description="Required when the quote asks for a category")
    from_stock: bool = Field(default=True, description="true: from the stock the group has now (checked, taken on "
                             "acceptance); false: made to order within lead_time_days (>= 1), no stock drawn")


class AcceptIn(In):
    also: list[IdIn] = Field(default_factory=list, max_length=20, description="More offers accepted together (pooled)")
    address_id: IdIn | None = None


class OfferOut(Out):
    id: int
    group: GroupName
    product_id: int
    unit_price_idr: int
    quantity: int
    lead_time_days: int
    valid_until: date
    status: str
    from_stock: bool
    goods_idr: int
    shipping_idr: int = Field(description="Delivery to the quote's kabupaten/kota, as the order will charge it")
    total_idr: int


class QuoteOut(Out):
    id: int
    number: str
    purchase_number: str
    organisation: dict
    product_id: int | None
    category: str | None
    description: str
    quantity: int
    needed_by: date
    delivery_regency: str
    status: str
    groups_asked: int
    offers: list[OfferOut]
    checkout_id: int | None = Field(description="The checkout of the latest acceptance")
    accepted_quantity: int
    uncovered_quantity: int = Field(description="Asked but not yet covered by accepted offers")
    currency: Literal["IDR", "USD"] = Field(default="IDR", description="USD: an export quote (offers still in rupiah)")
    idr_per_usd: int | None = Field(default=None, description="The rate when an export quote was asked")
    incoterm: Literal["FOB", "CIF"] | None = None
    destination_country: str | None = None
    destination_port: str | None = None


class InvoiceOut(Out):
    id: int
    number: str
    order_id: int
    organisation_id: int
    amount_idr: int
    issued_on: date
    due_on: date
    status: str
    overdue: bool
    pdf_url: str


# ---------------------------------------------------------------- officers

class RejectIn(In):
    reason: str = Field(min_length=3, max_length=500)


class StatsOut(Out):
    area: dict
    groups: int
    verified_groups: int
    members: int
    products: int
    products_with_permit: int
    export_ready_products: int = Field(description="Products listed as export-ready whose permit still holds")
    orders: int = Field(description="Orders that count as sales: sold (paid or invoiced, and onwards), not bought by "
                        "the selling group itself nor by an account whose e-mail address is unproven, not held")
    sales_idr: int = Field(description="Goods of the orders that count as sales: sales_seen_idr + "
                           "sales_group_received_idr + sales_invoiced_idr")
    sales_seen_idr: int = Field(default=0, description="Of sales_idr, money the platform itself saw arrive (card, "
                                "QRIS, virtual account, e-wallet, transfer to the platform's account, invoice an "
                                "admin marked paid)")
    sales_group_received_idr: int = Field(default=0, description="Of sales_idr, money the groups say they received "
                                          "(transfer to the group's own account or cash at its stand, confirmed by "
                                          "the group; invoice the group marked paid)")
    sales_invoiced_idr: int = Field(default=0, description="Of sales_idr, invoiced on terms and not paid yet")
    held_sales_idr: int = Field(default=0, description="Orders at a price an officer has not accepted: in no "
                                "figure above")
    offline_sales_idr: int = Field(description="Declared by the groups in their sales book: sold outside the "
                                   "platform, counted apart from sales_idr (entries waiting for an officer left out)")
    held_offline_sales_idr: int = Field(default=0, description="Declared entries far above a group's history, "
                                        "waiting for an officer (or refused): in no figure above")
    figures_to_check: int = Field(default=0, description="Prices and declared entries in the area waiting for an "
                                  "officer's check")
    partnerships: int
    groups_with_partner: int
    groups_with_statement: int = Field(description="Groups with a sales statement for lenders that is still valid")
    by_business_type: dict[str, dict[str, int]]
    by_regency: list[dict]
    by_month: list[dict]
    as_of: str | None = Field(default=None, description="When the numbers were counted (each area's are kept "
                                                       "and recounted when a minute old)")


# ---------------------------------------------------------------- the sales book

class OfflineSaleLineIn(In):
    product_id: IdIn | None = Field(default=None, description="One of the group's products; or give a name")
    name: str | None = Field(default=None, max_length=120)
    quantity: int = Field(ge=1, le=100_000)
    amount_idr: int = Field(ge=0, le=1_000_000_000, description="What the line brought in, in all")


class OfflineSaleIn(In):
    sold_on: date
    place: str = Field(default="", max_length=120, description="Where; may be left empty when event_id is given")
    event_id: IdIn | None = Field(default=None, description="Sold at this event the group took part in (accepted); "
                                                            "sold_on must fall within its days")
    note: str | None = Field(default=None, max_length=500)
    reduce_stock: bool = Field(default=False, description="Take the quantities off the products' stock")
    lines: list[OfflineSaleLineIn] = Field(min_length=1, max_length=20)


class OfflineSaleLineOut(Out):
    product_id: int | None
    name: str
    quantity: int
    amount_idr: int


class OfflineReviewOut(Out):
    status: Literal["open", "accepted", "rejected"]
    limit_idr: int | None = Field(description="The month's declared total it went above")
    reason: str | None


class OfflineSaleOut(Out):
    id: int
    sold_on: date
    place: str
    event_id: int | None
    note: str | None
    reduce_stock: bool
    total_idr: int
    current: bool = Field(description="false: corrected, replaced by replaced_by_id")
    replaced_by_id: int | None
    correction_reason: str | None
    lines: list[OfflineSaleLineOut]
    review: OfflineReviewOut | None = Field(default=None, description="Far above the group's history: an officer "
                                            "checks it; until accepted it counts in no figure")


class SalesMonthOut(Out):
    month: str
    offline_idr: int = Field(description="Declared by the group: sales outside the platform (entries waiting for "
                             "an officer left out)")
    platform_idr: int = Field(description="Goods of the group's orders on the platform that count as sales: "
                              "seen_idr + group_received_idr + invoiced_idr")
    platform_orders: int
    seen_idr: int = Field(default=0, description="Of platform_idr, money the platform itself saw arrive")
    group_received_idr: int = Field(default=0, description="Of platform_idr, money the group says it received "
                                    "(transfer to its own account, cash at its stand, invoice it marked paid)")
    invoiced_idr: int = Field(default=0, description="Of platform_idr, invoiced on terms and not paid yet")
    held_idr: int = Field(default=0, description="Orders and declared entries waiting for an officer's check (or "
                          "refused): in no figure above")
    items: list[OfflineSaleOut]



class StatementIn(In):
    months: Literal[3, 6, 12]


class StatementOut(Out):
    code: str
    state: Literal["valid", "expired", "revoked", "altered"]
    months: int
    period_start: date
    period_end: date
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    snapshot: dict = Field(description="The figures as issued: group, months and totals, buyers, partnerships, "
                           "products. From version 2: seen_idr (money the platform itself saw arrive: what it "
                           "vouches for), group_received_idr (money the group says it received), invoiced_idr "
                           "(invoiced, not paid yet), offline_idr (declared by the group), held_idr (waiting for an "
                           "officer: in no other figure); platform_idr = seen + group_received + invoiced")
    snapshot_sha256: str
    verify_url: str
    version: int = Field(default=1, description="The snapshot's version: 1 did not keep the kinds of money apart")
    vouched_idr: int | None = Field(default=None, description="What the platform vouches for: the money it saw "
                                    "arrive in the period (null for version 1: no figure is vouched for)")


# ---------------------------------------------------------------- bazaars and exhibitions

class EventStandOut(Out):
    group: GroupName
    product_ids: list[int] = Field(description="Its products on sale: reserve them for pick-up at the event")


class EventItemOut(Out):
    slug: str
    name: str
    kind: Literal["bazar", "pameran", "festival"]
    province: str
    regency: str
    address: str
    starts_on: date
    ends_on: date
    open_to: Literal["semua", "provinsi", "kabupaten"]
    description: str | None
    cancelled: bool
    url: str


class EventDetailOut(EventItemOut):
    stands: list[EventStandOut]


class EventListOut(Out):
    items: list[EventItemOut]
