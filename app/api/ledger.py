"""A group's money: its balance, its ledger and its payouts (the chair and the treasurer); the admins'
payouts queue; Midtrans Payouts' notification."""

from flask import g, request

from app.catalog.cursors import decode_cursor, encode_cursor
from app.core.errors import Malformed
from app.ledger import payouts, payouts_iris
from app.ledger import services as ledger

from . import schemas
from .base import body, paging, reply, route
from .catalog import PAGING

# the contract's kinds (../shared/API.md): a return's pick-up charged to the group is an "adjustment" there,
# its description says what it was
API_KIND = {"shipping": "adjustment"}


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
                    "kind": API_KIND.get(i.kind, i.kind),
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


# ------------------------------------------------------------------ payouts


def _payout(p) -> dict:
    group = p.group
    return {
        "id": p.id,
        "group": {"slug": group.slug, "name": group.name},
        "amount_idr": p.amount_idr,
        "status": p.status,
        "bank": {"name": p.bank_name, "account_number": p.account_number, "account_name": p.account_name},
        "reference": p.reference,
        "failure_reason": p.failure_reason,
        "provider": p.provider,
        "requested_at": p.requested_at.isoformat(),
        "approved_at": p.approved_at.isoformat() if p.approved_at else None,
        "sent_at": p.sent_at.isoformat() if p.sent_at else None,
        "failed_at": p.failed_at.isoformat() if p.failed_at else None,
    }


@route(
    "/groups/<slug>/payouts",
    "POST",
    "Ask for the group's available money to be sent to its bank account (the chair, the treasurer): 409 more "
    "than available, 422 no bank account",
    tag="groups",
    auth=True,
    body=schemas.PayoutIn,
    response=schemas.PayoutOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 415, 422),
)
def request_payout(slug: str):
    data = body(schemas.PayoutIn)
    return reply(_payout(payouts.request_payout(g.api_user, slug, data["amount_idr"])), 201)


@route(
    "/groups/<slug>/payouts",
    "GET",
    "The group's payouts, newest first (the chair, the treasurer)",
    tag="groups",
    auth=True,
    response=schemas.PayoutList,
    query=PAGING,
    errors=(401, 403, 404, 422),
)
def group_payouts(slug: str):
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    _group, items, more = payouts.payouts_of_group(g.api_user, slug, offset, limit)
    return reply({"items": [_payout(p) for p in items], "next_cursor": encode_cursor(offset + limit) if more else None})


STATUS_QUERY = [
    {
        "name": "status",
        "in": "query",
        "schema": {"type": "string", "enum": ["requested", "approved", "sent", "failed"]},
        "description": "Only payouts in this status (default: requested and approved, the open ones)",
    }
]


@route(
    "/payouts",
    "GET",
    "Payouts for the admins, oldest first",
    tag="payouts",
    auth=True,
    response=schemas.PayoutList,
    query=PAGING + STATUS_QUERY,
    errors=(401, 403, 422),
)
def payout_queue():
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    items, more = payouts.queue(g.api_user, request.args.get("status") or None, offset, limit)
    return reply({"items": [_payout(p) for p in items], "next_cursor": encode_cursor(offset + limit) if more else None})


@route(
    "/payouts/<int:payout_id>/approve",
    "POST",
    "Approve a payout (an admin other than the one who asked, where there are two); Midtrans Payouts then sends "
    "it when configured",
    tag="payouts",
    auth=True,
    body=schemas.PayoutApproveIn,
    response=schemas.PayoutOut,
    errors=(400, 401, 403, 404, 409, 415, 422, 502),
)
def approve_payout(payout_id: int):
    otp = body(schemas.PayoutApproveIn).get("otp") if request.get_data(cache=True) else None
    return reply(_payout(payouts_iris.approve(g.api_user, payout_id, otp)))


@route(
    "/payouts/<int:payout_id>/sent",
    "POST",
    "Record the bank's reference of an approved payout an admin transferred (without Midtrans Payouts)",
    tag="payouts",
    auth=True,
    body=schemas.PayoutSentIn,
    response=schemas.PayoutOut,
    errors=(400, 401, 403, 404, 409, 415, 422),
)
def payout_sent(payout_id: int):
    data = body(schemas.PayoutSentIn)
    return reply(_payout(payouts.record_sent(g.api_user, payout_id, data["reference"])))


@route(
    "/payouts/<int:payout_id>/failed",
    "POST",
    "Mark a payout failed: its amount is available to the group again",
    tag="payouts",
    auth=True,
    body=schemas.PayoutFailedIn,
    response=schemas.PayoutOut,
    errors=(400, 401, 403, 404, 409, 415, 422),
)
def payout_failed(payout_id: int):
    data = body(schemas.PayoutFailedIn)
    return reply(_payout(payouts.mark_failed(g.api_user, payout_id, data["reason"])))


IRIS_SIGNATURE = [
    {
        "name": "Iris-Signature",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "SHA-512 (hex) of the raw body followed by the Iris merchant key, as Midtrans Payouts signs",
    }
]


@route(
    "/webhooks/iris",
    "POST",
    "Midtrans Payouts' (Iris) notification (no bearer token; checked by Iris-Signature)",
    tag="payouts",
    body=schemas.IrisNotificationIn,
    query=IRIS_SIGNATURE,
    errors=(400,),
)
def iris_notification():
    try:
        result = payouts_iris.handle_notification(request.get_data(), request.headers.get("Iris-Signature", ""))
    except ValueError:
        raise Malformed("Bad Iris-Signature.") from None
    return reply({"received": True, "result": result})
