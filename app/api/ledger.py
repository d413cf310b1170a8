"""A group's money: its balance and its ledger (the chair and the treasurer)."""

from flask import g

from app.catalog.cursors import decode_cursor, encode_cursor
from app.ledger import services as ledger

from . import schemas
from .base import paging, reply, route
from .catalog import PAGING


@route(
    "/groups/<slug>/balance",
    "GET",
    "The group's money: pending, available, paid out, direct, fees (the chair, the treasurer)",
    tag="groups",
    auth=True,
    response=schemas.BalanceOut,
    errors=(401, 403, 404),
)
def group_balance(slug: str):
    balance = ledger.balance_of(ledger.group_for_money(g.api_user, slug))
    return reply(
        {
            "pending_idr": balance.pending_idr,
            "available_idr": balance.available_idr,
            "paid_out_idr": balance.paid_out_idr,
            "direct_idr": balance.direct_idr,
            "fees_idr": balance.fees_idr,
        }
    )


@route(
    "/groups/<slug>/ledger",
    "GET",
    "The group's ledger, newest first (the chair, the treasurer)",
    tag="groups",
    auth=True,
    response=schemas.LedgerList,
    query=PAGING,
    errors=(401, 403, 404, 422),
)
def group_ledger(slug: str):
    group = ledger.group_for_money(g.api_user, slug)
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    items, more = ledger.ledger_of(group, offset, limit)
    return reply(
        {
            "items": [
                {
                    "id": i.id,
                    "at": i.at.isoformat(),
                    "kind": i.kind,
                    "order_id": i.order_id,
                    "payout_id": i.payout_id,
                    "amount_idr": i.amount_idr,
                    "state": i.state,
                    "description": i.description,
                }
                for i in items
            ],
            "next_cursor": encode_cursor(offset + limit) if more else None,
        }
    )
