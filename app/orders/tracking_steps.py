"""A courier's steps, as Biteship names them: how far along each is, and which ones end a parcel's
journey (outbound shipments and returns alike); and the periodic jobs' one way of asking about each parcel."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from app.extensions import db

from . import biteship_gateway as gateway

log = logging.getLogger(__name__)

# how far along a parcel is: the shipment's status is the furthest step reported, whatever order they came in
RANK = {
    "confirmed": 1,
    "scheduled": 1,
    "allocated": 2,
    "courier_not_found": 2,
    "picking_up": 3,
    "picked": 4,
    "on_hold": 5,
    "dropping_off": 6,
    "return_in_transit": 7,
    "returned": 8,
    "rejected": 8,
    "disposed": 8,
    "cancelled": 8,
    "delivered": 9,
}
FINISHED = ("delivered", "returned", "rejected", "disposed", "cancelled")
TRACKED_DAYS = 45  # the periodic job stops asking about a parcel this long after it was handed over


def ask_each(model, ids: Iterable[int], refresh: Callable[..., int], what: str) -> dict[str, int]:
    """Each parcel asked once, in its own transaction: one courier's failure does not stop the others."""
    asked = steps = 0
    for parcel_id in ids:
        parcel = db.session.get(model, parcel_id)
        if parcel is None:
            continue
        try:
            steps += refresh(parcel)
            asked += 1
        except gateway.CourierError as exc:
            db.session.rollback()
            log.warning("tracking %s %s failed: %s", what, parcel_id, exc)
    return {"asked": asked, "steps": steps}
