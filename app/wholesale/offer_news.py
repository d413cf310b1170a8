"""What a group hears of its offers: accepted (an order follows) or passed over (the request closed without it);
by WhatsApp to the chair and treasurer who chose it, by e-mail to the rest (groups.contact)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.groups.contact import tell_group

from .models import Offer, QuoteRequest


def tell_accepted(quote: QuoteRequest, offers: list[Offer], checkout) -> None:
    numbers = {o.group_id: o.number for o in checkout.orders}
    for offer in offers:
        org, what, order = (
            quote.organisation.name,
            f"{offer.taken_quantity} × {offer.product.name}",
            numbers.get(offer.group_id, ""),
        )
        tell_group(
            offer.group_id,
            "penawaran_diterima",
            [quote.number, org, what, order or "-"],
            key=f"penawaran_diterima:{offer.id}",
            subject=_("Penawaran Anda untuk %(n)s diterima", n=quote.number),
            body=_(
                "%(org)s menerima penawaran %(g)s: %(q)s × %(p)s. Pesanannya %(o)s (nomor pembelian %(po)s).",
                org=org,
                g=offer.group.name,
                q=offer.taken_quantity,
                p=offer.product.name,
                o=order,
                po=quote.purchase_number,
            ),
        )


def tell_passed_over(quote: QuoteRequest, offers: list[Offer]) -> None:
    for offer in offers:
        tell_group(
            offer.group_id,
            "penawaran_tidak_dipilih",
            [quote.number, quote.organisation.name],
            key=f"penawaran_tidak_dipilih:{offer.id}",
            subject=_("Penawaran untuk %(n)s tidak dipilih", n=quote.number),
            body=_(
                "%(org)s sudah menutup permintaan %(n)s tanpa memilih penawaran %(g)s. Terima kasih sudah "
                "menawar; permintaan berikutnya akan datang ke halaman kelompok Anda.",
                org=quote.organisation.name,
                n=quote.number,
                g=offer.group.name,
            ),
        )
