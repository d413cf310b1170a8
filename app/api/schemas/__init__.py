"""Request and response shapes of /api/v1 (pydantic), one module per area. Requests forbid unknown fields;
the OpenAPI document is generated from these same classes. The views name them as schemas.X."""
from __future__ import annotations

from .accounts import AccountIn, AccountOut, MeGroup, MeOut, TokenIn, TokenOut
from .buying import (
    AddressIn,
    CheckoutIn,
    CheckoutItemIn,
    CheckoutOut,
    EventOut,
    LineOut,
    MidtransNotificationIn,
    MidtransOut,
    OrderList,
    OrderOut,
    PaymentOut,
    StatusIn,
)
from .catalog import (
    CategoryList,
    CategoryOut,
    PermitIn,
    PermitOut,
    PermitType,
    PhotoOut,
    ProductDetail,
    ProductIn,
    ProductItem,
    ProductList,
    ProductPatch,
    ProvinceOut,
    Rating,
    RegionList,
    RegionOut,
    TierIn,
    TierOut,
)
from .common import GroupName, IdIn, In, Out, Problem, Qty
from .events import EventDetailOut, EventItemOut, EventListOut, EventStandOut
from .groups import BusinessType, GroupIn, GroupList, GroupOut, GroupRef, InvitationOut, MemberIn, MemberOut
from .officers import RejectIn, StatsOut
from .sales import (
    OfflineReviewOut,
    OfflineSaleIn,
    OfflineSaleLineIn,
    OfflineSaleLineOut,
    OfflineSaleOut,
    SalesMonthOut,
    StatementIn,
    StatementOut,
)
from .wholesale import (
    AcceptIn,
    InvoiceOut,
    OfferIn,
    OfferOut,
    OrganisationIn,
    OrganisationOut,
    OrgType,
    QuoteIn,
    QuoteOut,
    StaffIn,
    VerifyOrgIn,
)

__all__ = ["Qty", "IdIn", "In", "Out", "Problem", "GroupName", "TokenIn", "AccountIn", "TokenOut", "AccountOut", "MeGroup", "MeOut", "BusinessType", "GroupIn", "MemberIn", "GroupRef", "GroupOut", "MemberOut", "InvitationOut", "GroupList", "TierIn", "PermitType", "PermitIn", "ProductIn", "ProductPatch", "TierOut", "PermitOut", "PhotoOut", "Rating", "ProductItem", "ProductDetail", "ProductList", "CategoryOut", "CategoryList", "RegionOut", "RegionList", "ProvinceOut", "MidtransNotificationIn", "CheckoutItemIn", "AddressIn", "CheckoutIn", "StatusIn", "LineOut", "EventOut", "OrderOut", "MidtransOut", "PaymentOut", "CheckoutOut", "OrderList", "OrgType", "OrganisationIn", "StaffIn", "VerifyOrgIn", "OrganisationOut", "QuoteIn", "OfferIn", "AcceptIn", "OfferOut", "QuoteOut", "InvoiceOut", "RejectIn", "StatsOut", "OfflineSaleLineIn", "OfflineSaleIn", "OfflineSaleLineOut", "OfflineReviewOut", "OfflineSaleOut", "SalesMonthOut", "StatementIn", "StatementOut", "EventStandOut", "EventItemOut", "EventDetailOut", "EventListOut"]
