"""A return's parcel on its way: its steps come by the same Biteship webhook as outbound parcels (shipments.py
checks the signature and routes an event here when its order id, tracking id or waybill is a return's) and
by a periodic job for missed ones. Once per status (a replay adds nothing), the status the furthest step
(a late one moves nothing back); `delivered` from the courier means the goods are back (returns.arrived)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.core import jobs
from app.core.types import utcnow
from app.extensions import db

from . import biteship_gateway as gateway
from . import returns
from .labels import TRACKING_LABELS
from .return_models import WAITING, ReturnEvent, ReturnShipment
from .tracking_steps import FINISHED, RANK, TRACKED_DAYS, ask_each

log = logging.getLogger(__name__)


def record(ret: ReturnShipment, status: str, at: datetime, description: str | None = None) -> bool:
    """One step, once per status (True when it is new). The caller commits."""
    status = (status or "").strip().lower()[:30]
    if not status or any(e.status == status for e in ret.events):
        return False
    words = description or str(TRACKING_LABELS.get(status, status))
    try:
        with db.session.begin_nested():
            ret.events.append(ReturnEvent(at=at, status=status, description=words[:500]))
    except IntegrityError:  # the webhook and the job wrote the same step at the same moment
        db.session.refresh(ret)
        return False
    if RANK.get(status, 0) >= RANK.get(ret.status, 0):
        ret.status = status
    return True


def find(data: dict) -> ReturnShipment | None:
    """The return a Biteship event is about, if it is one's (locked)."""
    keys = [
        (ReturnShipment.provider_order_id, data.get("order_id")),
        (ReturnShipment.tracking_id, data.get("courier_tracking_id")),
        (ReturnShipment.waybill, data.get("courier_waybill_id")),
    ]
    wanted = [column == str(value) for column, value in keys if value]
    if not wanted:
        return None
    return db.session.scalars(select(ReturnShipment).where(or_(*wanted)).with_for_update()).first()


def on_webhook(ret: ReturnShipment, data: dict) -> str:
    """order.status records a step, order.waybill_id the waybill; the rest is acknowledged. Commits."""
    result = "ignored"
    if data.get("event") == "order.waybill_id" and data.get("courier_waybill_id"):
        ret.waybill, result = str(data["courier_waybill_id"])[:60], "waybill"
    elif data.get("event") == "order.status" and data.get("status"):
        at = gateway.when(data["updated_at"]) if data.get("updated_at") else utcnow()
        result = "recorded" if record(ret, str(data["status"]), at) else "replayed"
    db.session.commit()
    _arrived_if_delivered(ret)
    return result


def _arrived_if_delivered(ret: ReturnShipment) -> None:
    if ret.received_at is None and any(e.status == "delivered" for e in ret.events):
        returns.arrived(ret, None)  # commits


def refresh(ret: ReturnShipment) -> int:
    """Ask Biteship for the parcel's history and record the steps not yet known. Commits."""
    if ret.tracking_id:
        found = gateway.tracking(ret.tracking_id)
    else:
        found = gateway.tracking(waybill=ret.waybill, courier=ret.courier)
    new = sum(record(ret, step.status, step.at, step.note or None) for step in found.history)
    if found.status and not any(e.status == found.status for e in ret.events):
        new += record(ret, found.status, utcnow())
    ret.checked_at = utcnow()
    db.session.commit()
    _arrived_if_delivered(ret)
    return new


@jobs.task("orders.track_returns", every=3600)
def track_returns() -> dict[str, int]:
    """Hourly: each return on its way, asked once, in its own transaction."""
    if not gateway.configured():
        return {"asked": 0, "steps": 0}
    since = utcnow() - timedelta(days=TRACKED_DAYS)
    ids = list(
        db.session.scalars(
            select(ReturnShipment.id)
            .where(ReturnShipment.status.not_in((*FINISHED, WAITING)), ReturnShipment.received_at.is_(None))
            .where(ReturnShipment.sent_at > since, ReturnShipment.waybill.is_not(None))
            .order_by(ReturnShipment.id)
        )
    )
    return ask_each(ReturnShipment, ids, refresh, "return")
