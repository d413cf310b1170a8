"""Notices at each step of a complaint, sent after the step has committed. The ones that matter (opened: to the
group; answered: to the buyer; resolved: to both) go the way of the other notices (core/notify.py: WhatsApp
templates komplain_baru, komplain_dijawab, komplain_selesai to a proven number as each person chose, the
e-mail otherwise or when WhatsApp fails, once per complaint); the rest (escalated, refunds by hand) are
e-mails, to the buyer, the group and the admins."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import mail, notify
from app.core.links import external_url
from app.core.money import format_rupiah
from app.extensions import db
from app.groups.contact import tell_group

from .complaint_labels import REASON_LABELS, RESOLUTION_LABELS
from .notify import _group_emails, buyer


def _link(complaint) -> str:
    return external_url("complaints.page", complaint_id=complaint.id)


def _buyer_link(complaint) -> str:
    """The buyer's link: a guest (no account) opens her complaint through her checkout's link."""
    checkout = complaint.order.checkout
    if checkout.user_id is None:
        return external_url("complaints.page", complaint_id=complaint.id, access_key=checkout.access_key)
    return _link(complaint)


def _admins() -> list[str]:
    return list(db.session.scalars(select(User.email).where(User.role == "admin")))


def _what(complaint) -> str:
    text = str(RESOLUTION_LABELS.get(complaint.resolution or "", complaint.resolution or ""))
    if complaint.amount_idr and complaint.resolution in ("refund", "partial_refund"):
        text += f" ({format_rupiah(complaint.amount_idr)})"
    return text


def opened(complaint) -> None:
    order = complaint.order
    reason = REASON_LABELS.get(complaint.reason, complaint.reason)
    tell_group(
        order.group_id,
        "komplain_baru",
        [order.number, reason, _link(complaint)],
        key=f"komplain_baru:{complaint.id}",
        subject=_("Komplain untuk pesanan %(n)s", n=order.number),
        body=_(
            "Pembeli mengajukan komplain (%(r)s): %(d)s\nJawab dalam 2 hari: kembalikan dana, ganti barang, atau "
            "tolak dengan alasan. Tanpa jawaban, komplain diteruskan ke admin.\n%(link)s",
            r=reason,
            d=complaint.description,
            link=_link(complaint),
        ),
    )


def answered(complaint) -> None:
    order = complaint.order
    notify.tell(
        buyer(order.checkout),
        "komplain_dijawab",
        [order.group.name, order.number, _what(complaint), _buyer_link(complaint)],
        key=f"komplain_dijawab:{complaint.id}",
        subject=_("Jawaban komplain pesanan %(n)s", n=order.number),
        body=_(
            "%(g)s menjawab komplain Anda: %(w)s.\nTerima jawabannya, atau teruskan ke admin bila tidak setuju.\n"
            "%(link)s",
            g=order.group.name,
            w=_what(complaint),
            link=_buyer_link(complaint),
        ),
    )


def escalated(complaint) -> None:
    order = complaint.order
    subject = _("Komplain pesanan %(n)s diteruskan ke admin", n=order.number)

    def body(link: str) -> str:
        return _("Admin Pasar UPPKS akan memeriksa dan memutuskan komplain ini.\n%(link)s", link=link)

    mail.send(order.checkout.email, subject, body(_buyer_link(complaint)))
    mail.send(_group_emails(order.group_id), subject, body(_link(complaint)))
    mail.send(_admins(), subject, body(_link(complaint)))


def resolved(complaint) -> None:
    order = complaint.order
    subject = _("Komplain pesanan %(n)s selesai", n=order.number)
    body = _("Hasil: %(w)s.\n%(link)s", w=_what(complaint), link=_link(complaint))
    to_buyer = _("Hasil: %(w)s.\n%(link)s", w=_what(complaint), link=_buyer_link(complaint))
    if complaint.return_goods:
        to_buyer += "\n" + _("Barang diminta kembali: pembeli mengirimnya dengan kurir dari halaman komplain.")
        body += "\n" + _("Barang diminta kembali: pembeli mengirimnya dengan kurir dari halaman komplain.")
    if complaint.refund_state == "by_hand":
        to_buyer += "\n" + _("Dana dikembalikan lewat transfer ke rekening yang Anda berikan di halaman komplain.")
        mail.send(_admins(), _("Pengembalian dana manual: komplain %(n)s", n=order.number), _link(complaint))
    key = f"komplain_selesai:{complaint.id}"
    to_her = [order.number, _what(complaint), _buyer_link(complaint)]
    notify.tell(buyer(order.checkout), "komplain_selesai", to_her, key=key, subject=subject, body=to_buyer)
    to_group = [order.number, _what(complaint), _link(complaint)]
    tell_group(order.group_id, "komplain_selesai", to_group, key=key, subject=subject, body=body)


def refund_failed(complaint) -> None:
    mail.send(
        _admins(),
        _("Pengembalian dana gagal: komplain pesanan %(n)s", n=complaint.order.number),
        _("Coba lagi dari antrean komplain.\n%(link)s", link=_link(complaint)),
    )


def refunded_by_hand(complaint) -> None:
    mail.send(
        complaint.order.checkout.email,
        _("Dana komplain pesanan %(n)s sudah ditransfer", n=complaint.order.number),
        _(
            "%(a)s sudah ditransfer ke rekening Anda (referensi %(r)s).",
            a=format_rupiah(complaint.refund_idr or 0),
            r=complaint.refund_reference,
        ),
    )
