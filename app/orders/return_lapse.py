"""A return not sent in time: the goods asked back and still `waiting` RETURN_SEND_DAYS after the return was
written (return_rules.send_by) lapse, by an hourly job. The return becomes `lapsed`, the complaint records
it (role system), the full refund that waited for the goods is not paid (they never came back), the order
is no longer held (holds.py) so the usual job completes it and its money becomes the group's, and buyer and
group are told by e-mail. A lapsed return is closed: nothing is sent, received or refunded on it any more."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from app.core import jobs, mail
from app.core.links import external_url
from app.core.types import utcnow
from app.extensions import db

from .complaint_models import ComplaintMessage
from .notify import _group_emails
from .return_models import LAPSED, WAITING, ReturnShipment
from .return_rules import send_days


def _lapsed_once(return_id: int) -> bool:
    """A conditional UPDATE: the return lapses only while it still waits (a buyer's waybill written at the same
    moment wins or loses whole; a second run or another server finds nothing left to change)."""
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(ReturnShipment)
            .where(ReturnShipment.id == return_id, ReturnShipment.status == WAITING)
            .where(ReturnShipment.received_at.is_(None))
            .values(status=LAPSED)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount == 1


@jobs.task("orders.lapse_returns", every=3600)
def lapse_returns(now: datetime | None = None) -> dict[str, int]:
    """Hourly: each return past its sending date, in its own transaction."""
    cutoff = (now or utcnow()) - send_days()
    due = select(ReturnShipment.id).where(ReturnShipment.status == WAITING, ReturnShipment.created_at < cutoff)
    done = 0
    for return_id in list(db.session.scalars(due.order_by(ReturnShipment.id))):
        if not _lapsed_once(return_id):
            db.session.rollback()
            continue
        ret = db.session.get(ReturnShipment, return_id, populate_existing=True)
        if ret is None:
            db.session.rollback()
            continue
        ret.complaint.messages.append(ComplaintMessage(role="system", action="lapsed"))
        db.session.commit()
        _tell(ret)
        done += 1
    return {"lapsed": done}


def _tell(ret: ReturnShipment) -> None:
    order = ret.complaint.order
    checkout, days = order.checkout, send_days().days
    key = checkout.access_key if checkout.user_id is None else None
    subject = _("Barang pesanan %(n)s tidak dikirim kembali", n=order.number)
    waited = " " + _("Dana yang menunggu barang itu tidak dikembalikan.") if ret.refund_waits else ""
    mail.send(
        checkout.email,
        subject,
        _("Barang yang diminta kembali tidak dikirim dalam %(d)s hari.", d=days)
        + waited
        + "\n"
        + external_url("complaints.return_page", return_id=ret.id, access_key=key),
    )
    mail.send(
        _group_emails(order.group_id),
        subject,
        _("Pembeli tidak mengirim barang kembali dalam %(d)s hari. Pengembalian ditutup.", d=days)
        + (" " + _("Dana pesanan ini tidak dikembalikan ke pembeli.") if ret.refund_waits else "")
        + "\n"
        + external_url("complaints.return_page", return_id=ret.id),
    )
