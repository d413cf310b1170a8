from flask import g, request

from app.accounts import scope
from app.officers import decisions
from app.officers.stats import stats as area_stats

from . import schemas, serialize
from .base import body, reply, route


@route(
    "/stats",
    "GET",
    "The program's numbers for the officer's scope (or a part of it)",
    tag="officers",
    auth=True,
    response=schemas.StatsOut,
    errors=(401, 403, 422),
    query=[
        {"name": "province", "in": "query", "schema": {"type": "string"}},
        {"name": "regency", "in": "query", "schema": {"type": "string"}},
    ],
)
def stats():
    area = scope.area_for(g.api_user, request.args.get("province") or None, request.args.get("regency") or None)
    return reply(area_stats(area))


@route(
    "/permits/<int:permit_id>/verify",
    "POST",
    "Verify a permit (an officer of its region, or an admin)",
    tag="officers",
    auth=True,
    response=schemas.PermitOut,
    errors=(401, 403, 404, 409),
)
def verify_permit(permit_id: int):
    return reply(serialize.permit(decisions.decide_permit(g.api_user, permit_id, "verified")))


@route(
    "/permits/<int:permit_id>/reject",
    "POST",
    "Reject a permit with a reason the group sees",
    tag="officers",
    auth=True,
    body=schemas.RejectIn,
    response=schemas.PermitOut,
    errors=(401, 403, 404, 409, 422),
)
def reject_permit(permit_id: int):
    data = body(schemas.RejectIn)
    return reply(serialize.permit(decisions.decide_permit(g.api_user, permit_id, "rejected", data["reason"])))
