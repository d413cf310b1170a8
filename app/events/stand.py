"""Paying at the stand: a reservation for pick-up at an event, paid in cash (or the group's own QRIS)
when the buyer collects it. The group's member marks it paid there; unpaid, it runs out at the end of
the event's last day and the stock comes back."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.accounts.models import User
from app.core import regions
from app.core.errors import Conflict, NotFound
from app.core.timefmt import local
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.orders import services as orders
from app.orders import ways_to_pay
from app.orders.models import Checkout, CheckoutStatus, Order
from app.payments.services import confirm_by_hand, payment_of, record

from .models import Event


class AtTheStand(ways_to_pay.PaymentMethod):
    code = "at_stand"
    position = 40

    def label(self, organisation) -> str:
        return _("Bayar di stan saat mengambil (pesanan untuk diambil di acara)")

    def offered_for(self, quote) -> bool:
        return len(quote.groups) == 1 and bool(quote.groups[0].pickup_points)

    def unfit_for(self, quote) -> str | None:
        if len(quote.groups) != 1 or quote.groups[0].pickup is None:
            return _(
                "Bayar di stan hanya untuk pesanan dari satu kelompok yang diambil di acara. "
                "Pilih \u201cAmbil di acara\u201d atau cara bayar lain."
            )
        return None

    def deadline(self, quote, now):
        return quote.groups[0].pickup.until

    def money_reached(self, checkout):
        return None, f"stand:checkout:{checkout.id}"  # cash (or the group's own QRIS) into the group's hands

    def record(self, checkout, prepared, organisation) -> None:
        payment = record(checkout, None)
        payment.payee_group_id = checkout.orders[0].group_id


def _event_of(order: Order) -> Event | None:
    return db.session.get(Event, order.pickup_event_id) if order.pickup_event_id else None


def stand_opens(event: Event) -> datetime:
    """The money is taken at the stand from 00:00 of the event's first day, where the event is (WIB, WITA
    or WIT); the reservation runs out at the end of its last day (after the stands close), and so does this."""
    zone = ZoneInfo(regions.ZONES[regions.zone_of(event.province_code)])
    return datetime.combine(event.starts_on, time(0), zone)


def stand_not_yet(order: Order) -> str | None:
    """For the group's orders page: when marking paid at the stand becomes possible, while it is not yet."""
    event = _event_of(order)
    if event is None or utcnow() >= stand_opens(event):
        return None
    return local(stand_opens(event), event.province_code)


def paid_at_stand(actor: User, checkout_id: int) -> Checkout:
    """The chair or the treasurer takes the money at the stand, during the event's days."""

    checkout = db.session.get(Checkout, checkout_id)
    payment = payment_of(checkout) if checkout is not None else None
    if (
        checkout is None
        or payment is None
        or payment.method != AtTheStand.code
        or payment.payee_group_id is None
        or not orders.is_member(actor, payment.payee_group_id)
    ):
        raise NotFound(_("Pesanan tidak ditemukan."))
    roles.require(actor, payment.payee_group_id, roles.PAID_AT_STAND)
    if checkout.status != CheckoutStatus.PENDING_PAYMENT:
        raise Conflict(_("Pesanan ini tidak menunggu pembayaran."))
    opens = stand_not_yet(checkout.orders[0])
    if opens:
        raise Conflict(_("Tanda lunas di stan baru bisa dipakai mulai %(d)s, hari pertama acara.", d=opens))
    if utcnow() >= checkout.expires_at:
        raise Conflict(_("Pemesanan ini sudah berakhir bersama acaranya; stoknya dilepas."))
    confirm_by_hand(payment, checkout, actor, "paid at the stand")
    return checkout


def register() -> None:
    ways_to_pay.register(AtTheStand())
