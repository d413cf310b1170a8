"""When a complaint's answer asks for the goods back ("Minta barang dikembalikan"): only with a full refund
or a replacement; once the complaint is resolved so, its return is written, waiting for the buyer to send
the parcel (returns.py), and a full refund waits for the goods to arrive."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db

from .return_models import ReturnShipment, payer_for

WITH_RETURN = ("refund", "replace")
YES = ("1", "true", "on", "yes")


def asked(resolution, return_goods) -> bool:
    """The answer's "Minta barang dikembalikan" (a form's checkbox, the API's boolean)."""
    wanted = str(return_goods if return_goods is not None else "").strip().lower() in YES
    if wanted and resolution not in WITH_RETURN:
        message = _("Barang hanya diminta kembali bila dana dikembalikan penuh atau barang diganti.")
        raise ValidationFailed(message, {"return_goods": [message]})
    return wanted


def send_days() -> timedelta:
    return timedelta(days=current_app.config["RETURN_SEND_DAYS"])


def send_by(ret: ReturnShipment) -> datetime:
    """The moment the buyer must have sent the goods by: RETURN_SEND_DAYS after the return was written (the
    buyer's page shows it; return_lapse.py lapses a return still waiting then)."""
    return ret.created_at + send_days()


def open_for(complaint) -> bool:
    """In the transaction that resolves the complaint: its return, when the answer asked for the goods back.
    True when the refund waits for them (it is paid once the return arrived: returns.arrived)."""
    if not complaint.return_goods or complaint.resolution not in WITH_RETURN:
        return False
    waits = complaint.resolution == "refund"
    db.session.add(
        ReturnShipment(
            complaint=complaint,
            order_id=complaint.order_id,
            payer=payer_for(complaint.reason),
            refund_waits=waits,
            booked=False,
        )
    )
    return waits
