"""Bazaars and exhibitions, read-only: what is coming, and who takes part with which products."""

from flask import request

from app.core import regions
from app.core.links import external_url
from app.events import public as events

from . import schemas
from .base import Invalid, reply, route


def _event(e) -> dict:
    return {
        "slug": e.slug,
        "name": e.name,
        "kind": e.kind,
        "province": e.province_code,
        "regency": e.regency_code,
        "address": e.address,
        "starts_on": e.starts_on.isoformat(),
        "ends_on": e.ends_on.isoformat(),
        "open_to": e.open_to,
        "description": e.description,
        "cancelled": e.cancelled_at is not None,
        "url": external_url("events.show", slug=e.slug),
    }


@route(
    "/events",
    "GET",
    "Bazaars, exhibitions and festivals not yet over, soonest first",
    tag="catalog",
    response=schemas.EventListOut,
    errors=(422,),
    query=[
        {
            "name": "province",
            "in": "query",
            "schema": {"type": "string", "maxLength": 8},
            "description": "Province code, e.g. 64",
        }
    ],
)
def list_events():
    province = request.args.get("province") or None
    if province and regions.province(province) is None:
        raise Invalid("Unknown province.", {"province": ["Unknown province code."]})
    return reply({"items": [_event(e) for e in events.upcoming(province, limit=100)]})


@route(
    "/events/<slug>",
    "GET",
    "One event, with the groups taking part and their products",
    tag="catalog",
    response=schemas.EventDetailOut,
    errors=(404,),
)
def get_event(slug: str):
    event = events.public_event(slug)
    stands = [
        {"group": {"slug": s.group.slug, "name": s.group.name}, "product_ids": [p.id for p in s.products]}
        for s in events.stands(event)
    ]
    return reply(dict(_event(event), stands=stands))
