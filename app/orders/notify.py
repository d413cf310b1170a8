"""Notices to the buyer and the group at each step (sent after the step has committed): by e-mail, and by
WhatsApp where a person has a proven number (app/core/notify.py; the group's: groups.contact)."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.contact import contact_of
from app.accounts.models import User
from app.core import mail, notify
from app.core.labels import label
from app.core.links import external_url
from app.core.money import format_rupiah
from app.core.timefmt import local
from app.extensions import db
from app.groups.contact import tell_group
from app.groups.models import Membership

from .labels import STATUS_LABELS
from .models import OrderStatus


def _group_emails(group_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email).join(Membership, Membership.user_id == User.id).where(Membership.group_id == group_id)
        )
    )


def buyer(checkout) -> list[notify.Contact]:
    """The buyer at the checkout's address; by WhatsApp too when she has an account with a proven number."""
    user = db.session.get(User, checkout.user_id) if checkout.user_id else None
    if user is None:
        return [notify.Contact(email=checkout.email)]
    return [replace(contact_of(user), email=checkout.email)]


def _link(checkout) -> str:
    """The checkout's page at PUBLIC_URL (a capability: whoever holds it sees and pays the order), also from
    a job or the CLI."""
    return external_url("orders.checkout_page", access_key=checkout.access_key)


def payment_line(checkout) -> str:
    """The way to pay and its reference, as the buyer reads it: "QRIS, referensi …", "Virtual account BCA
    1234…"."""

    rows = getattr(checkout, "payment_rows", None) or []
    data = (rows[0].provider_data if rows else None) or {}
    method = label("payment_method", checkout.payment_method)
    if data.get("va_number"):
        return _("%(m)s, nomor %(n)s", m=method, n=data["va_number"])
    if data.get("bill_key"):
        return _(
            "%(m)s, kode perusahaan %(c)s, kode bayar %(k)s", m=method, c=data.get("biller_code"), k=data["bill_key"]
        )
    if data.get("transaction_id"):
        return _("%(m)s, referensi %(r)s", m=method, r=data["transaction_id"])
    code = getattr(rows[0], "transfer_code", None) if rows else None
    if code:
        return _("%(m)s, kode transfer %(c)s", m=method, c=code)
    return str(method)


def transfer_howto(checkout) -> str:
    """For a bank transfer: the exact amount, the account, and the code to write in the transfer's
    description; empty for any other way to pay."""
    rows = getattr(checkout, "payment_rows", None) or []
    payment = rows[0] if rows else None
    if payment is None or checkout.payment_method != "bank_transfer":
        return ""
    text = _(
        "Transfer tepat %(t)s ke %(b)s %(n)s atas nama %(a)s.",
        t=format_rupiah(checkout.total_idr),
        b=payment.bank_name,
        n=payment.bank_account_number,
        a=payment.bank_account_name,
    )
    if payment.transfer_code:
        text += "\n" + _(
            "Tulis kode %(c)s di berita/keterangan transfer: dengan kode itu penjual menemukan transfer Anda.",
            c=payment.transfer_code,
        )
    return "\n" + text


def checkout_placed(checkout) -> None:
    lines = "\n".join(f"- {o.number} {o.group.name}: {format_rupiah(o.total_idr)}" for o in checkout.orders)
    mail.send(
        checkout.email,
        _("Pesanan %(n)s diterima", n=checkout.number),
        _(
            "Terima kasih. Total %(total)s.\n%(lines)s\nBayar sebelum %(due)s.\n%(link)s",
            total=format_rupiah(checkout.total_idr),
            lines=lines,
            due=local(checkout.expires_at, checkout.ship_province_code),
            link=_link(checkout),
        )
        + "\n"
        + _("Cara bayar: %(how)s", how=payment_line(checkout))
        + transfer_howto(checkout),
    )


def checkout_paid(checkout) -> None:
    notify.tell(
        buyer(checkout),
        "pesanan_dibayar",
        [checkout.number, _link(checkout)],
        key=f"pesanan_dibayar:{checkout.id}",
        subject=_("Pembayaran %(n)s diterima", n=checkout.number),
        body=_("Pembayaran Anda sudah kami terima. Kelompok akan menyiapkan pesanan.\n%(link)s", link=_link(checkout))
        + "\n"
        + _("Dibayar dengan: %(how)s", how=payment_line(checkout)),
    )
    for order in checkout.orders:
        total = format_rupiah(order.total_idr)
        tell_group(
            order.group_id,
            "pesanan_baru",
            [order.number, total],
            key=f"pesanan_baru:{order.id}",
            subject=_("Pesanan baru %(n)s", n=order.number),
            body=_("Pesanan %(n)s sudah dibayar (%(total)s). Silakan siapkan.", n=order.number, total=total),
        )


def checkout_expired(checkout) -> None:
    mail.send(
        checkout.email,
        _("Pesanan %(n)s dibatalkan", n=checkout.number),
        _("Pesanan dibatalkan karena belum dibayar sampai batas waktu."),
    )


def _by_whatsapp(order) -> tuple[str, list] | None:
    """The moves the buyer is also told by WhatsApp (shipped, delivered): the template and its parameters."""
    if order.status == OrderStatus.SHIPPED:
        return "pesanan_dikirim", [order.number, order.group.name, order.tracking_number or "-"]
    if order.status == OrderStatus.DELIVERED:
        return "pesanan_sampai", [order.number, order.group.name]
    return None


def order_moved(order) -> None:
    checkout = order.checkout
    text = str(STATUS_LABELS.get(order.status, order.status)).lower()
    extra = ""
    if order.status == OrderStatus.SHIPPED and order.tracking_number:
        extra = "\n" + _("Nomor resi: %(n)s", n=order.tracking_number)
    if order.status == OrderStatus.CANCELLED and order.cancel_reason:
        extra = "\n" + _("Alasan pembatalan: %(r)s", r=order.cancel_reason)
    subject = _("Pesanan %(n)s %(s)s", n=order.number, s=text)
    body = (
        _("Pesanan %(n)s dari %(g)s sekarang %(s)s.", n=order.number, g=order.group.name, s=text)
        + extra
        + "\n"
        + _link(checkout)
    )
    whatsapp = _by_whatsapp(order)
    if whatsapp:
        template, params = whatsapp
        notify.tell(buyer(checkout), template, params, key=f"{template}:{order.id}", subject=subject, body=body)
    else:
        mail.send(checkout.email, subject, body)
    mail.send(
        _group_emails(order.group_id),
        _("Pesanan %(n)s %(s)s", n=order.number, s=text),
        _("Pesanan %(n)s sekarang %(s)s.", n=order.number, s=text) + extra,
    )


def transfer_refused(checkout, reason: str) -> None:
    mail.send(
        checkout.email,
        _("Bukti transfer %(n)s belum bisa dikonfirmasi", n=checkout.number),
        _(
            "Penjual belum menemukan transfer Anda: %(r)s\nKirim bukti baru di halaman pesanan sebelum batas "
            "waktu.\n%(link)s",
            r=reason,
            link=_link(checkout),
        ),
    )


def proof_uploaded(checkout, payee_group_id: int | None) -> None:
    """The payee group is told that a proof has arrived (the platform's account: the admins look)."""
    if payee_group_id is None:
        return
    numbers = ", ".join(o.number for o in checkout.orders)
    rows = getattr(checkout, "payment_rows", None) or []
    proof = (rows[0].proof_key if rows else None) or ""  # a new proof (after one refused) is a new notice
    tell_group(
        payee_group_id,
        "bukti_transfer",
        [numbers, format_rupiah(checkout.total_idr)],
        key=f"bukti_transfer:{checkout.id}:{proof}",
        subject=_("Bukti transfer untuk %(n)s", n=numbers),
        body=_(
            "Pembeli mengunggah bukti transfer %(total)s untuk pesanan %(n)s. Periksa rekening Anda, lalu "
            "konfirmasi atau tolak di halaman pesanan kelompok.",
            total=format_rupiah(checkout.total_idr),
            n=numbers,
        ),
    )
