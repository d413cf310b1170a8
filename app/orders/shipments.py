"""Orders handed to a courier: a pick-up booked through Biteship (it answers the waybill) or the waybill a
group got at the counter; the order becomes `shipped`. Tracking steps arrive by Biteship's webhook (its
secret header checked; once per status, so a replay adds nothing; a late step never moves anything back)
and by a periodic job that asks for what a missed webhook would have said. `delivered` from the courier
moves the order to delivered (orders.status.move); the receipt job completes it later (receipt.py)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import jobs, validate
from app.core.errors import Conflict, Malformed, NotFound, Unauthorized, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db

from . import biteship_gateway as gateway
from . import couriers, notify, return_tracking
from .labels import TRACKING_LABELS
from .models import Order, OrderStatus, Shipment, TrackingEvent
from .services import order_for_buyer, order_for_group_member
from .status import move
from .tracking_steps import FINISHED, RANK, TRACKED_DAYS, ask_each

log = logging.getLogger(__name__)


def _ready_to_ship(actor: User, order_id: int) -> Order:
    order = order_for_group_member(actor, order_id)
    if order.shipping_method != "courier":
        raise Conflict(_("Pesanan ini diambil pembeli, tidak dikirim kurir."), {"status": [_("Tidak dikirim.")]})
    if order.shipment is not None or order.status not in (
        OrderStatus.PAID,
        OrderStatus.INVOICED,
        OrderStatus.PROCESSING,
    ):
        raise Conflict(
            _("Pesanan %(n)s tidak bisa dikirim sekarang (%(s)s).", n=order.number, s=order.status),
            {"status": [_("Perpindahan status ini tidak diizinkan.")]},
        )
    return order


def _chosen(order: Order, courier: str | None, service: str | None) -> tuple[str, str | None]:
    """The courier and service: as sent, else the ones the buyer chose and paid for."""
    option = order.shipping_option or ""
    c_paid, _sep, s_paid = option.partition(":") if ":" in option else ("", "", "")
    picked = (courier or "").strip().lower() or c_paid
    kind = (service or "").strip().lower() or (s_paid if picked == c_paid else "")
    errors: dict[str, list[str]] = {}
    if not picked or len(picked) > 20 or not picked.replace("_", "").isalnum():
        collect(errors, "courier", _("Pilih kurir."))
    if len(kind) > 40:
        collect(errors, "service", _("Layanan terlalu panjang."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return picked, kind or None


def ship(
    actor: User, order_id: int, courier: str | None, service: str | None = None, waybill: str | None = None
) -> Shipment:
    """With a waybill: the one from the counter is recorded. Without: a pick-up is booked through Biteship
    (422 where it is not configured). Either way the order becomes `shipped`."""
    order = _ready_to_ship(actor, order_id)
    courier, service = _chosen(order, courier, service)
    errors: dict[str, list[str]] = {}
    typed = validate.text(waybill, errors, "waybill", max_len=60, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if typed:
        shipment = Shipment(courier=courier, service=service, waybill=typed, status="picked", booked=False)
        note = _("Resi dari loket %(c)s dicatat.", c=couriers.courier_name(courier))
    else:
        shipment, note = _book(order, courier, service), _("Penjemputan kurir dipesan.")
    shipment.created_by_id = actor.id
    return _hand_over(order, shipment, actor, note)


def _book(order: Order, courier: str, service: str | None) -> Shipment:
    """Biteship books the pick-up; no transaction stays open while it is asked."""
    group, checkout = order.group, order.checkout
    if not gateway.configured():
        message = _("Pemesanan jemput kurir belum tersedia di sini: ketik nomor resi dari loket.")
        raise ValidationFailed(message, {"waybill": [message]})
    if not service or not group.postal_code:
        message = _("Pilih layanan kurir.") if not service else _("Isi alamat penjemputan dan kode pos kelompok dulu.")
        raise ValidationFailed(message, {"service" if not service else "courier": [message]})
    origin, destination, items = couriers.group_end(group), couriers.buyer_end(checkout), couriers.order_parcel(order)
    db.session.commit()  # end the read before Biteship is called
    try:
        booking = gateway.book(
            reference=order.number,
            courier=courier,
            service=service,
            origin=origin,
            destination=destination,
            items=items,
        )
    except gateway.CourierError as exc:
        log.warning("booking a pick-up for order %s failed: %s", order.id, exc)
        raise Conflict(
            _("Kurir belum bisa dipesan sekarang. Coba lagi sebentar, atau ketik nomor resi dari loket.")
        ) from None
    return Shipment(
        courier=courier,
        service=service,
        waybill=booking.waybill,
        booked=True,
        provider_order_id=booking.order_id,
        tracking_id=booking.tracking_id,
        status=booking.status,
        link=(booking.link or "")[:255] or None,
    )


def _hand_over(order: Order, shipment: Shipment, actor: User, note: str) -> Shipment:
    """One transaction: the shipment, its first step, the order shipped (through processing when it was
    only paid). Two presses at once: the second finds the first's shipment (409)."""
    order = db.session.get(Order, order.id, with_for_update=True, populate_existing=True) or order
    try:
        if db.session.scalar(select(Shipment.id).where(Shipment.order_id == order.id)) is not None:
            raise Conflict(_("Pesanan ini sudah dikirim."))
        if order.status in (OrderStatus.PAID, OrderStatus.INVOICED):
            move(order, OrderStatus.PROCESSING, actor)
        shipment.order = order
        db.session.add(shipment)
        shipment.events = [TrackingEvent(at=utcnow(), status=shipment.status, description=note)]
        order.tracking_number = shipment.waybill
        move(order, OrderStatus.SHIPPED, actor, shipment.waybill)
        db.session.flush()
    except (IntegrityError, Conflict):
        db.session.rollback()
        if shipment.booked and shipment.provider_order_id:
            gateway.cancel_duplicate(shipment.provider_order_id)
        raise Conflict(
            _("Pesanan ini sudah dikirim."), {"status": [_("Perpindahan status ini tidak diizinkan.")]}
        ) from None
    db.session.commit()
    notify.order_moved(order)
    return shipment


# ------------------------------------------------------------------ tracking


def tracking_for(user: User, order_id: int) -> Shipment:
    """The order's shipment, for its buyer (or the business buyer's staff) or a member of its group."""
    try:
        order = order_for_buyer(user, order_id)
    except NotFound:
        order = order_for_group_member(user, order_id)
    if order.shipment is None:
        raise NotFound(_("Pesanan ini belum diserahkan ke kurir."))
    return order.shipment


def record(shipment: Shipment, status: str, at: datetime, description: str | None = None) -> bool:
    """One step, once per status (True when it is new); the shipment's status becomes the furthest step,
    and `delivered` moves a shipped order to delivered. The caller commits."""
    status = (status or "").strip().lower()[:30]
    if not status or any(e.status == status for e in shipment.events):
        return False
    words = description or str(TRACKING_LABELS.get(status, status))
    try:
        with db.session.begin_nested():
            shipment.events.append(TrackingEvent(at=at, status=status, description=words[:500]))
    except IntegrityError:  # the same step written at the same moment by the webhook and the job
        db.session.refresh(shipment)
        return False
    if RANK.get(status, 0) >= RANK.get(shipment.status, 0):
        shipment.status = status
    if status == "delivered" and shipment.order.status == OrderStatus.SHIPPED:
        move(shipment.order, OrderStatus.DELIVERED, None, _("Kurir: paket sampai di tujuan."))
    return True


def _find(data: dict) -> Shipment | None:
    keys = [
        (Shipment.provider_order_id, data.get("order_id")),
        (Shipment.tracking_id, data.get("courier_tracking_id")),
        (Shipment.waybill, data.get("courier_waybill_id")),
    ]
    wanted = [column == str(value) for column, value in keys if value]
    if not wanted:
        return None
    return db.session.scalars(select(Shipment).where(or_(*wanted)).with_for_update()).first()


def handle_webhook(headers, raw: bytes) -> str:
    """Biteship's webhook: the secret header checked first; an empty body is Biteship's check when the URL
    is installed. order.status records a step, order.waybill_id the waybill; the rest is acknowledged."""
    if not gateway.signature_ok(headers):
        raise Unauthorized(_("Tanda tangan webhook salah."))
    if not raw.strip():
        return "installed"
    try:
        data = json.loads(raw)
    except ValueError:
        raise Malformed("Not JSON.") from None
    if not isinstance(data, dict):
        raise Malformed("Not a JSON object.")
    back = return_tracking.find(data)  # a return's parcel, not an order's
    if back is not None:
        return return_tracking.on_webhook(back, data)
    shipment = _find(data)
    if shipment is None:
        return "unknown"
    was = shipment.order.status
    result = "ignored"
    if data.get("event") == "order.waybill_id" and data.get("courier_waybill_id"):
        shipment.waybill = shipment.order.tracking_number = str(data["courier_waybill_id"])[:60]
        result = "waybill"
    elif data.get("event") == "order.status" and data.get("status"):
        at = gateway.when(data["updated_at"]) if data.get("updated_at") else utcnow()
        result = "recorded" if record(shipment, str(data["status"]), at) else "replayed"
    db.session.commit()
    if shipment.order.status != was:
        notify.order_moved(shipment.order)
    return result


def refresh(shipment: Shipment) -> int:
    """Ask Biteship for the parcel's whole history and record the steps not yet known. Commits."""
    if shipment.tracking_id:
        found = gateway.tracking(shipment.tracking_id)
    else:
        found = gateway.tracking(waybill=shipment.waybill, courier=shipment.courier)
    was = shipment.order.status
    new = sum(record(shipment, step.status, step.at, step.note or None) for step in found.history)
    if found.status and not any(e.status == found.status for e in shipment.events):
        new += record(shipment, found.status, utcnow())
    if found.waybill and not shipment.waybill:
        shipment.waybill = shipment.order.tracking_number = str(found.waybill)[:60]
    shipment.checked_at = utcnow()
    db.session.commit()
    if shipment.order.status != was:
        notify.order_moved(shipment.order)
    return new


@jobs.task("orders.track_shipments", every=3600)
def track_shipments() -> dict[str, int]:
    """Hourly, for webhooks that never came: each parcel on its way, asked once, in its own transaction."""
    if not gateway.configured():
        return {"asked": 0, "steps": 0}
    since = utcnow() - timedelta(days=TRACKED_DAYS)
    ids = list(
        db.session.scalars(
            select(Shipment.id)
            .where(Shipment.status.not_in(FINISHED), Shipment.created_at > since)
            .where(or_(Shipment.tracking_id.is_not(None), Shipment.waybill.is_not(None)))
            .order_by(Shipment.id)
        )
    )
    return ask_each(Shipment, ids, refresh, "shipment")
