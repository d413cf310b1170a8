"""Shapes of /api/v1: officers' checks and area figures."""

from __future__ import annotations

from pydantic import Field

from .common import In, Out


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
    orders: int = Field(
        description="Orders that count as sales: sold (paid or invoiced, and onwards), not bought by "
        "the selling group itself nor by an account whose e-mail address is unproven, not held"
    )
    sales_idr: int = Field(
        description="Goods of the orders that count as sales: sales_seen_idr + "
        "sales_group_received_idr + sales_invoiced_idr"
    )
    sales_seen_idr: int = Field(
        default=0,
        description="Of sales_idr, money the platform itself saw arrive (card, "
        "QRIS, virtual account, e-wallet, transfer to the platform's account, invoice an "
        "admin marked paid)",
    )
    sales_group_received_idr: int = Field(
        default=0,
        description="Of sales_idr, money the groups say they received "
        "(transfer to the group's own account or cash at its stand, confirmed by "
        "the group; invoice the group marked paid)",
    )
    sales_invoiced_idr: int = Field(default=0, description="Of sales_idr, invoiced on terms and not paid yet")
    held_sales_idr: int = Field(
        default=0, description="Orders at a price an officer has not accepted: in no figure above"
    )
    offline_sales_idr: int = Field(
        description="Declared by the groups in their sales book: sold outside the "
        "platform, counted apart from sales_idr (entries waiting for an officer left out)"
    )
    held_offline_sales_idr: int = Field(
        default=0,
        description="Declared entries far above a group's history, "
        "waiting for an officer (or refused): in no figure above",
    )
    money_reached_idr: int = Field(
        default=0,
        description="Money that reached the area's groups (the ledger): completed sales' net and money paid "
        "straight to them, less refunds",
    )
    figures_to_check: int = Field(
        default=0, description="Prices and declared entries in the area waiting for an officer's check"
    )
    partnerships: int
    groups_with_partner: int
    groups_with_statement: int = Field(description="Groups with a sales statement for lenders that is still valid")
    by_business_type: dict[str, dict[str, int]]
    by_regency: list[dict]
    by_month: list[dict]
    as_of: str | None = Field(
        default=None, description="When the numbers were counted (each area's are kept and recounted when a minute old)"
    )
