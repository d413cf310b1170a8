"""Standing orders: a business buyer's repeating order, paused, resumed, ended; its group confirms each
proposed order (adjusted or not), which becomes an order on terms under the buyer's PO number."""

from flask import current_app, g, request

from app.payments import services as payments
from app.wholesale import proposals, standing

from . import schemas, serialize
from .base import body, reply, route


def _line(line) -> dict:
    return {
        "product_id": line.product_id,
        "name": line.product.name,
        "unit": line.product.unit,
        "quantity": line.quantity,
    }


def _proposal(p) -> dict:
    return {
        "id": p.id,
        "delivery_date": p.delivery_date.isoformat(),
        "status": p.status,
        "lines": [_line(line) | {"unit_price_idr": line.unit_price_idr} for line in p.lines],
        "checkout_id": p.checkout_id,
    }


def standing_order(o) -> dict:
    upcoming = standing.upcoming(o)
    return {
        "id": o.id,
        "number": o.number,
        "organisation_id": o.organisation_id,
        "group": {"slug": o.group.slug, "name": o.group.name},
        "status": o.status,
        "frequency": o.frequency,
        "weekday": o.weekday,
        "day_of_month": o.day_of_month,
        "lead_days": o.lead_days,
        "po_number": o.po_number,
        "address_id": o.address_id,
        "next_delivery": upcoming.isoformat() if upcoming else None,
        "lines": [_line(line) for line in o.lines],
        "proposals": [_proposal(p) for p in o.proposals],
        "created_at": o.created_at.isoformat(),
    }


@route(
    "/standing-orders",
    "POST",
    "Set a standing order: products of one group, every week, two weeks or month (a verified business buyer)",
    tag="wholesale",
    auth=True,
    body=schemas.StandingOrderIn,
    response=schemas.StandingOrderOut,
    status=201,
    errors=(401, 403, 422),
)
def create_standing_order():
    return reply(standing_order(standing.create(g.api_user, body(schemas.StandingOrderIn))), 201)


@route(
    "/standing-orders",
    "GET",
    "Standing orders: the organisation's for its staff, those with the caller's groups for their members",
    tag="wholesale",
    auth=True,
    response=schemas.StandingOrderList,
    errors=(401,),
)
def list_standing_orders():
    return reply({"items": [standing_order(o) for o in standing.visible_to(g.api_user)]})


def _move(name: str, summary: str):
    def view(standing_id: int):
        return reply(standing_order(getattr(standing, name)(g.api_user, standing_id)))

    view.__name__ = f"{name}_standing_order"
    route(
        f"/standing-orders/<int:standing_id>/{name}",
        "POST",
        summary,
        tag="wholesale",
        auth=True,
        response=schemas.StandingOrderOut,
        errors=(401, 404, 409),
    )(view)


_move("pause", "Pause a standing order: no proposals until resumed; open ones are cancelled (the buyer)")
_move("resume", "Resume a paused standing order (the buyer)")
_move("end", "End a standing order for good; open proposals are cancelled (the buyer)")


@route(
    "/standing-orders/<int:standing_id>/proposals/<int:proposal_id>/confirm",
    "POST",
    "Confirm a proposed order, adjusted or not (the group): it becomes an order, on terms when the buyer has them",
    tag="wholesale",
    auth=True,
    body=schemas.ConfirmProposalIn,
    response=schemas.CheckoutOut,
    status=201,
    errors=(401, 404, 409, 422),
)
def confirm_proposal(standing_id: int, proposal_id: int):
    data = body(schemas.ConfirmProposalIn) if request.get_data() else {"lines": []}
    changes = [{k: v for k, v in line.items() if v is not None} for line in data["lines"]]
    checkout = proposals.confirm(g.api_user, standing_id, proposal_id, changes)
    return reply(
        serialize.checkout(checkout, payments.payment_of(checkout), current_app.config["STRIPE_PUBLISHABLE_KEY"]), 201
    )
