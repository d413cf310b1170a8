"""A return the group asked for (return_rules.py writes it when the complaint is resolved): the buyer sends
the goods back from her shipping address to the group's pick-up address, either with a courier's pick-up
booked through Biteship (its rates for the return, a waybill and a label to print) or with the waybill she
got at the counter. Its steps come by Biteship's webhook and the periodic job (return_tracking.py); the
group presses "Barang kembali diterima", or the courier's `delivered` says so. A full refund that waited for
the goods is made then, through complaint_refunds as any other.

Who pays the courier (return_models.payer_for): the group when the fault is its own (damaged, wrong item,
expired, not as described): the buyer may have it picked up (booked on the platform's Biteship account, its
price recorded on the return and taken from the group's money in the ledger). Otherwise the buyer pays: she sends it from a courier's counter."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from app.accounts.models import User
from app.core import mail, validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.links import external_url
from app.core.money import format_rupiah
from app.core.types import utcnow
from app.extensions import db
from app.ledger import postings

from . import biteship_gateway as gateway
from . import complaint_refunds as refunds
from . import couriers
from .complaint_models import ComplaintMessage
from .complaint_notify import _admins
from .complaints import complaint_for
from .notify import _group_emails
from .return_models import LAPSED, WAITING, ReturnEvent, ReturnShipment
from .services import Buyer

log = logging.getLogger(__name__)


def return_for(actor: User | Buyer, return_id: int) -> tuple[ReturnShipment, str]:
    """A return and who `actor` is to it (buyer, group, admin), as for its complaint; anyone else 404."""
    ret = db.session.get(ReturnShipment, return_id)
    if ret is None:
        raise NotFound(_("Pengembalian barang tidak ditemukan."))
    _complaint, who = complaint_for(actor, ret.complaint_id)
    return ret, who


def of_complaint(complaint_id: int) -> ReturnShipment | None:
    return db.session.scalar(db.select(ReturnShipment).where(ReturnShipment.complaint_id == complaint_id))


def _waiting(actor: User | Buyer, return_id: int) -> ReturnShipment:
    ret, who = return_for(actor, return_id)
    if who != "buyer":
        raise Forbidden(_("Barang dikirim kembali oleh pembeli."))
    _not_lapsed(ret)
    if ret.status != WAITING or ret.received_at is not None:
        raise Conflict(_("Barang ini sudah dikirim kembali."), {"waybill": [_("Sudah ada nomor resi.")]})
    return ret


def _not_lapsed(ret: ReturnShipment) -> None:
    if ret.status == LAPSED:
        raise Conflict(_("Batas waktu mengirim barang kembali sudah lewat: pengembalian ini ditutup."))


def may_book(ret: ReturnShipment) -> bool:
    """A pick-up is offered where Biteship is configured, both ends have a postal code, and the group pays."""
    group, checkout = ret.complaint.order.group, ret.complaint.order.checkout
    return gateway.configured() and ret.payer == "group" and bool(group.postal_code and checkout.ship_postal_code)


def quote(ret: ReturnShipment) -> list[couriers.Option]:
    """The couriers that can pick the goods up at the buyer's and take them to the group, cheapest first."""
    if not may_book(ret):
        return []
    order = ret.complaint.order
    try:
        rates = gateway.rates(order.checkout.ship_postal_code, order.group.postal_code, couriers.order_parcel(order))
    except gateway.CourierError as exc:
        log.warning("return rates unavailable for return %s: %s", ret.id, exc)
        return []
    return [
        couriers.Option(f"{r.courier}:{r.service}", couriers.display(r), r.price_idr, r.etd_min, r.etd_max)
        for r in rates
    ]


def book(actor: User | Buyer, return_id: int, code) -> ReturnShipment:
    """The buyer has a courier pick the goods up: Biteship books it and answers the waybill."""
    ret = _waiting(actor, return_id)
    option = couriers.choose(quote(ret), str(code or "")) if code else None
    if option is None:
        message = _("Pilih kurir untuk menjemput barang.")
        raise ValidationFailed(message, {"option": [message]})
    order = ret.complaint.order
    courier, _sep, service = option.code.partition(":")
    origin, destination = couriers.buyer_end(order.checkout), couriers.group_end(order.group)
    items = couriers.order_parcel(order)
    db.session.commit()  # no transaction stays open while Biteship is asked
    try:
        booking = gateway.book(
            reference=f"{order.number}-R{ret.id}",
            courier=courier,
            service=service,
            origin=origin,
            destination=destination,
            items=items,
            note=_("Pengembalian barang komplain"),
        )
    except gateway.CourierError as exc:
        log.warning("booking the pick-up of return %s failed: %s", ret.id, exc)
        raise Conflict(_("Kurir belum bisa dipesan sekarang. Coba lagi sebentar, atau kirim dari loket.")) from None
    try:
        ret = _sent(ret, courier, service, booking.waybill, booking.status, _("Penjemputan kurir dipesan."))
    except Conflict:  # another press sent it first: this booking is not needed
        gateway.cancel_duplicate(booking.order_id)
        raise
    ret.booked, ret.provider_order_id, ret.tracking_id = True, booking.order_id, booking.tracking_id
    ret.price_idr, ret.link = option.price_idr, (booking.link or "")[:255] or None
    if ret.payer == "group":  # billed to the platform's Biteship account: taken from the group's money
        postings.return_shipping_charged(
            group_id=order.group_id,
            order_id=order.id,
            return_id=ret.id,
            price_idr=option.price_idr,
            number=order.number,
        )
    return _commit_sent(ret)


def typed(actor: User | Buyer, return_id: int, courier, waybill) -> ReturnShipment:
    """The buyer sent the goods from a courier's counter and types its waybill."""
    ret = _waiting(actor, return_id)
    errors: dict[str, list[str]] = {}
    code = (courier or "").strip().lower()
    if code not in couriers.COURIER_NAMES:
        validate.collect(errors, "courier", _("Pilih kurir."))
    number = validate.text(waybill, errors, "waybill", max_len=60, min_len=5)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    note = _("Resi dari loket %(c)s dicatat.", c=couriers.courier_name(code))
    return _commit_sent(_sent(ret, code, None, number, "picked", note))


def _sent(ret: ReturnShipment, courier: str, service: str | None, waybill, status: str, note: str) -> ReturnShipment:
    """Locked and read again: the first press writes the waybill, a second one finds it (409)."""
    ret = db.session.get(ReturnShipment, ret.id, with_for_update=True, populate_existing=True) or ret
    if ret.status != WAITING:
        db.session.rollback()
        _not_lapsed(ret)  # the job lapsed it a moment before
        raise Conflict(_("Barang ini sudah dikirim kembali."))
    ret.courier, ret.service, ret.waybill, ret.status, ret.sent_at = courier, service, waybill, status, utcnow()
    ret.events = [ReturnEvent(at=utcnow(), status=status, description=note)]
    ret.complaint.messages.append(
        ComplaintMessage(author_id=ret.complaint.user_id, role="buyer", action="return_sent", body=waybill)
    )
    return ret


def _commit_sent(ret: ReturnShipment) -> ReturnShipment:
    db.session.commit()
    order = ret.complaint.order
    mail.send(
        _group_emails(order.group_id),
        _("Barang pesanan %(n)s dikirim kembali", n=order.number),
        _(
            "Pembeli mengirim barang kembali lewat %(c)s, resi %(w)s. Tekan Barang kembali diterima saat paketnya "
            "sampai.\n%(link)s",
            c=couriers.courier_name(ret.courier),
            w=ret.waybill,
            link=external_url("complaints.return_page", return_id=ret.id),
        ),
    )
    return ret


def received(actor: User, return_id: int) -> ReturnShipment:
    """The group has the goods back ("Barang kembali diterima"): any member of the group, or an admin."""
    ret, who = return_for(actor, return_id)
    if who not in ("group", "admin"):
        raise Forbidden(_("Hanya kelompok yang menerima barang kembali."))
    if ret.received_at is not None:
        raise Conflict(_("Barang ini sudah tercatat diterima kembali."))
    _not_lapsed(ret)
    arrived(ret, actor)
    return ret


def arrived(ret: ReturnShipment, actor: User | None) -> None:
    """The goods are back (the group said so, or the courier delivered them): a refund that waited is made,
    in the ledger in this transaction, then through the provider after the commit. Commits; once."""
    db.session.refresh(ret, with_for_update=True)
    if ret.received_at is not None or ret.status == LAPSED:
        db.session.rollback()
        return
    complaint = ret.complaint
    ret.received_at, ret.received_by_id = utcnow(), actor.id if actor else None
    complaint.messages.append(
        ComplaintMessage(
            author_id=actor.id if actor else None,
            role=("admin" if actor.is_admin else "group") if actor else "system",
            action="returned",
        )
    )
    if ret.refund_waits and complaint.amount_idr and not complaint.refund_idr:
        refunds.start(complaint, complaint.amount_idr)
    db.session.commit()
    if complaint.refund_idr:
        refunds.send(complaint)  # commits
    _tell_arrived(complaint)


def _tell_arrived(complaint) -> None:
    order, link = complaint.order, external_url("complaints.page", complaint_id=complaint.id)
    body = _("%(g)s sudah menerima barang yang Anda kembalikan.", g=order.group.name)
    if complaint.refund_idr:
        body += " " + _("Dana %(a)s dikembalikan.", a=format_rupiah(complaint.refund_idr))
    mail.send(order.checkout.email, _("Barang pesanan %(n)s sudah kembali", n=order.number), f"{body}\n{link}")
    if complaint.refund_state == "by_hand":
        mail.send(_admins(), _("Pengembalian dana manual: komplain %(n)s", n=order.number), link)
