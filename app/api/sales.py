from flask import g, request

from app.core.links import external_url
from app.sales import services as sales
from app.sales import statements

from . import schemas
from .base import body, reply, route


def _sale(s) -> dict:
    return {
        "id": s.id,
        "sold_on": s.sold_on.isoformat(),
        "place": s.place,
        "note": s.note,
        "event_id": s.event_id,
        "reduce_stock": s.reduce_stock,
        "total_idr": s.total_idr,
        "current": s.is_current,
        "replaced_by_id": s.replaced_by_id,
        "correction_reason": s.correction_reason,
        "lines": [
            {"product_id": line.product_id, "name": line.name, "quantity": line.quantity, "amount_idr": line.amount_idr}
            for line in s.lines
        ],
        "review": {"status": s.review_status, "limit_idr": s.review_limit_idr, "reason": s.review_reason}
        if s.review_status
        else None,
    }


MONTH = [
    {
        "name": "month",
        "in": "query",
        "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "description": "YYYY-MM; this month when left out",
    }
]


@route(
    "/groups/<slug>/offline-sales",
    "GET",
    "A month of the group's sales book: offline entries (declared by the "
    "group) and the platform's sales beside them (a member)",
    tag="groups",
    auth=True,
    response=schemas.SalesMonthOut,
    query=MONTH,
    errors=(401, 404, 422),
)
def offline_sales(slug: str):
    _group, month = sales.month_of(g.api_user, slug, sales.parse_month(request.args.get("month")))
    return reply(
        {
            "month": f"{month.start:%Y-%m}",
            "offline_idr": month.offline_idr,
            "platform_idr": month.platform_idr,
            "platform_orders": month.platform_orders,
            "seen_idr": month.seen_idr,
            "group_received_idr": month.group_received_idr,
            "invoiced_idr": month.invoiced_idr,
            "held_idr": month.held_idr,
            "items": [_sale(s) for s in month.entries],
        }
    )


@route(
    "/groups/<slug>/offline-sales",
    "POST",
    "Record a sale made outside the platform (a member)",
    tag="groups",
    auth=True,
    body=schemas.OfflineSaleIn,
    response=schemas.OfflineSaleOut,
    status=201,
    errors=(401, 404, 409, 422),
)
def record_offline_sale(slug: str):
    return reply(_sale(sales.record(g.api_user, slug, body(schemas.OfflineSaleIn))), 201)


def _statement(row, state: str) -> dict:
    return {
        "code": row.code,
        "state": state,
        "months": row.months,
        "period_start": row.period_start.isoformat(),
        "period_end": row.period_end.isoformat(),
        "issued_at": row.issued_at.isoformat(),
        "expires_at": row.expires_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        "snapshot": row.snapshot,
        "snapshot_sha256": row.snapshot_hash,
        "verify_url": external_url("sales.verify", code=row.code),
        "version": row.snapshot.get("version", 1),
        "vouched_idr": statements.vouched_idr(row.snapshot),
    }


@route(
    "/groups/<slug>/statements",
    "POST",
    "Issue a sales statement for lenders (the chair or the treasurer)",
    tag="groups",
    auth=True,
    body=schemas.StatementIn,
    response=schemas.StatementOut,
    status=201,
    errors=(401, 403, 404, 422),
)
def issue_statement(slug: str):
    row = statements.issue(g.api_user, slug, body(schemas.StatementIn)["months"])
    return reply(_statement(row, statements.state_of(row)), 201)


@route(
    "/statements/<code>",
    "GET",
    "Verify a sales statement by its code (anyone: what a lender checks)",
    tag="groups",
    response=schemas.StatementOut,
    errors=(404, 422),
)
def verify_statement(code: str):
    row, state = statements.verify(code)
    return reply(_statement(row, state))
