"""Shipping with couriers: a cart quoted with each group's couriers, an order handed to a courier (a
pick-up booked, or the counter's waybill), and its tracking."""

from __future__ import annotations

from flask import g

from app.core.errors import ValidationFailed
from app.orders import checkout as checkouts
from app.orders import quoting, shipments
from app.orders.couriers import ZONE_CODE

from . import schemas
from .base import body, reply, route
from .buying import _methods


def _option(code: str, name: str, price: int, etd: int | None) -> dict:
    return {"code": code, "name": name, "price_idr": price, "etd_days": etd}


def _group(gq) -> dict:
    options = [_option(o.code, o.name, o.price_idr, o.etd_days) for o in gq.options]
    if not options:  # no address yet: sent by courier, priced once the address is known
        options = [_option(ZONE_CODE, "Kurir", 0, None)]
    options.append(_option("pickup", "Ambil sendiri di kelompok", 0, None))
    options += [_option(f"event:{p.id}", p.label, 0, None) for p in gq.pickup_points]
    return {
        "group": {"slug": gq.group.slug, "name": gq.group.name},
        "options": options,
        "chosen": gq.method_choice if gq.shipping_method != "courier" or gq.option else None,
        "goods_idr": gq.goods_idr,
        "shipping_idr": gq.shipping_idr,
    }


@route(
    "/checkouts/quote",
    "POST",
    "A cart quoted: each group's shipping options (couriers with price and days, pick-up) and the total",
    tag="buying",
    auth=True,
    body=schemas.CartQuoteIn,
    response=schemas.CartQuoteOut,
    errors=(401, 422),
)
def quote_checkout():
    data = body(schemas.CartQuoteIn)
    methods = _methods(data.get("shipping_methods") or {}, data.get("pickup_events") or {})
    methods.update(data.get("shipping_options") or {})
    items = [(i["product_id"], i["quantity"]) for i in data["items"]]
    province, postal = checkouts.destination(data["shipping_address"])
    q = quoting.quote(items, province, methods, postal)
    if q.errors:
        raise ValidationFailed("Some values are missing or invalid.", q.errors)
    return reply(
        {
            "groups": [_group(gq) for gq in q.groups],
            "goods_idr": q.goods_idr,
            "shipping_idr": q.shipping_idr,
            "total_idr": q.total_idr,
        }
    )


@route(
    "/orders/<int:order_id>/shipments",
    "POST",
    "The group hands the order to a courier: the counter's waybill, or (without one) a pick-up booked",
    tag="selling",
    auth=True,
    body=schemas.ShipmentIn,
    response=schemas.ShipmentOut,
    status=201,
    errors=(401, 404, 409, 422),
)
def create_shipment(order_id: int):
    data = body(schemas.ShipmentIn)
    shipment = shipments.ship(g.api_user, order_id, data["courier"], data.get("service"), data.get("waybill"))
    return reply(
        {
            "courier": shipment.courier,
            "service": shipment.service,
            "waybill": shipment.waybill,
            "status": shipment.status,
        },
        201,
    )


@route(
    "/orders/<int:order_id>/tracking",
    "GET",
    "Where the parcel is: the courier's steps (the buyer, the group)",
    tag="buying",
    auth=True,
    response=schemas.TrackingOut,
    errors=(401, 404),
)
def order_tracking(order_id: int):
    shipment = shipments.tracking_for(g.api_user, order_id)
    return reply(
        {
            "courier": shipment.courier,
            "waybill": shipment.waybill,
            "status": shipment.status,
            "events": [
                {"at": e.at.isoformat(), "status": e.status, "description": e.description} for e in shipment.events
            ],
        }
    )
