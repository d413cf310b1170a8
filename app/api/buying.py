from flask import current_app, g, request

from app.catalog.cursors import decode_cursor, encode_cursor
from app.core.errors import DomainError, Malformed
from app.core.errors import ValidationFailed as Invalid
from app.core.http import problem
from app.groups import roles
from app.orders import checkout as checkouts
from app.orders import idempotency
from app.orders import services as orders
from app.orders import status as moves
from app.orders.models import OrderStatus
from app.payments import cards, midtrans, midtrans_gateway
from app.payments import services as payments
from app.payments.providers import GatewayError

from . import schemas, serialize
from .base import body, paging, reply, route
from .catalog import PAGING

IDEMPOTENCY = [
    {
        "name": "Idempotency-Key",
        "in": "header",
        "schema": {"type": "string", "maxLength": 100},
        "description": "A retry with the same key answers the first response again",
    }
]


def _methods(methods: dict, events: dict) -> dict[str, str]:
    """The API names the event apart ("event" + pickup_events); checkout takes "event:<id>"."""
    return {slug: f"event:{events.get(slug, 0)}" if m == "event" else m for slug, m in methods.items()}


@route(
    "/checkouts",
    "POST",
    "Check out: one payment, one order per group",
    tag="buying",
    auth=True,
    body=schemas.CheckoutIn,
    response=schemas.CheckoutOut,
    status=201,
    query=IDEMPOTENCY,
    errors=(401, 403, 409, 422),
)
def create_checkout():
    user = g.api_user
    key = (request.headers.get("Idempotency-Key") or "").strip() or None
    if key and len(key) > 100:
        raise Invalid("Idempotency-Key is at most 100 characters.", {"Idempotency-Key": ["Too long."]})
    data = body(schemas.CheckoutIn)
    req = checkouts.CheckoutRequest(
        items=[(i["product_id"], i["quantity"]) for i in data["items"]],
        shipping_address=data["shipping_address"],
        payment_method=data["payment_method"],
        note=data.get("note"),
        po_number=data.get("po_number"),
        shipping_methods=_methods(data.get("shipping_methods") or {}, data.get("pickup_events") or {})
        | (data.get("shipping_options") or {}),
    )
    previous = idempotency.claim(user, key, req) if key else None
    if previous is not None:
        assert previous.status is not None  # claim hands back only a finished answer (one with its status)
        return reply(previous.body, previous.status)

    def render(checkout):
        return 201, _render(checkout)

    try:
        checkout = checkouts.place_checkout(user, req, idempotency_key=key, render=render)
    except DomainError as exc:
        if key:
            _remember_failure(user, key, exc)
        raise
    except BaseException:
        if key:
            idempotency.release(user, key)
        raise
    return reply(_render(checkout), 201)


def _render(checkout) -> dict:
    return serialize.checkout(checkout, payments.payment_of(checkout), current_app.config["STRIPE_PUBLISHABLE_KEY"])


def _remember_failure(user, key, exc) -> None:
    body = {"type": "about:blank", "title": exc.title, "status": exc.status, "detail": exc.detail or exc.title}
    if exc.errors:
        body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
    idempotency.remember_answer(user, key, exc.status, body)


@route("/orders", "GET", "My orders", tag="buying", auth=True, response=schemas.OrderList, query=PAGING, errors=(401,))
def list_orders():
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    rows, more = orders.orders_of_buyer(g.api_user, offset, limit)
    return reply(
        {
            "items": [serialize.order(o, moves.next_statuses(o, "buyer")) for o in rows],
            "next_cursor": encode_cursor(offset + limit) if more else None,
        }
    )


@route(
    "/orders/<int:order_id>",
    "GET",
    "One of my orders (a group member: one of the group's)",
    tag="buying",
    auth=True,
    response=schemas.OrderOut,
    errors=(401, 404),
)
def get_order(order_id: int):
    user = g.api_user
    try:
        order, who = orders.order_for_buyer(user, order_id), "buyer"
    except DomainError:
        order, who = orders.order_for_group_member(user, order_id), "group"
    return reply(serialize.order(order, moves.next_statuses(order, who, roles.standing(user, order.group_id))))


@route(
    "/groups/<slug>/orders",
    "GET",
    "The group's orders",
    tag="selling",
    auth=True,
    response=schemas.OrderList,
    query=[{"name": "status", "in": "query", "schema": {"type": "string"}}] + PAGING,
    errors=(401, 404, 422),
)
def group_orders(slug: str):
    cursor, limit = paging()
    offset = decode_cursor(cursor)
    group, rows, more = orders.orders_of_group(g.api_user, slug, request.args.get("status") or None, offset, limit)
    me = roles.standing(g.api_user, group.id)
    return reply(
        {
            "items": [serialize.order(o, moves.next_statuses(o, "group", me)) for o in rows],
            "next_cursor": encode_cursor(offset + limit) if more else None,
        }
    )


@route(
    "/orders/<int:order_id>/status",
    "POST",
    "Move an order (group: processing, shipped, delivered, cancelled; buyer: completed)",
    tag="selling",
    auth=True,
    body=schemas.StatusIn,
    response=schemas.OrderOut,
    errors=(401, 403, 404, 409, 422),
)
def move_order(order_id: int):
    data = body(schemas.StatusIn)
    if data["status"] == OrderStatus.COMPLETED:
        return received(order_id)
    order = moves.move_by_group(g.api_user, order_id, data["status"], data.get("tracking_number"), data.get("reason"))
    return reply(
        serialize.order(order, moves.next_statuses(order, "group", roles.standing(g.api_user, order.group_id)))
    )


@route(
    "/orders/<int:order_id>/received",
    "POST",
    "The buyer (or the business buyer's staff) has the goods: shipped or delivered becomes completed",
    tag="buying",
    auth=True,
    response=schemas.OrderOut,
    errors=(401, 404, 409),
)
def received(order_id: int):
    order = moves.confirm_receipt(g.api_user, order_id)
    return reply(serialize.order(order, moves.next_statuses(order, "buyer")))


STRIPE_SIGNATURE = [
    {
        "name": "Stripe-Signature",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "t=<time>,v1=<HMAC-SHA256 of the raw body>, as Stripe signs its events",
    }
]


@route(
    "/payments/stripe/webhook",
    "POST",
    "Stripe's signed events (no bearer token; Stripe-Signature)",
    tag="payments",
    query=STRIPE_SIGNATURE,
    errors=(400,),
)
def stripe_webhook():
    try:
        result = cards.handle_webhook(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except ValueError:
        raise Malformed("Bad Stripe-Signature.") from None
    return reply({"received": True, "result": result})


@route(
    "/payments/midtrans/notification",
    "POST",
    "Midtrans's HTTP notification (no bearer token; checked by its signature_key, then confirmed by a status call)",
    tag="payments",
    body=schemas.MidtransNotificationIn,
    errors=(400, 503),
)
def midtrans_notification():
    data = request.get_json(silent=True)
    if not midtrans_gateway.configured():
        raise Malformed("Midtrans is not configured here.")
    if not isinstance(data, dict):  # not a JSON object: no signature_key in it
        raise Malformed("Bad signature_key.")
    try:
        result = midtrans.handle_notification(data)
    except ValueError:
        raise Malformed("Bad signature_key.") from None
    except GatewayError:  # Midtrans cannot be asked for the status now: it sends the notification again
        return problem(
            503,
            "Service unavailable",
            "Midtrans status could not be checked; send again.",
            headers={"Retry-After": "60"},
        )
    return reply({"received": True, "result": result})
