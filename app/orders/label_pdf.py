"""The shipping label a group prints and tapes to the parcel: A6, the courier and service, the waybill
large and as a Code 39 barcode, who it goes to and who sends it, the weight and what is inside."""

from __future__ import annotations

from flask_babel import gettext as _
from fpdf import FPDF

from app.core.text import latin1 as _latin

from . import couriers


def _block(pdf: FPDF, title: str, lines: list[str]) -> None:
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in lines:
        if line:
            pdf.multi_cell(0, 4.2, _latin(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _label(title: str, courier: str, service: str | None, waybill: str, number: str, blocks) -> bytes:
    """An A6 label: the courier, the waybill (barcode and text), the order's number, then the blocks
    ((title, lines): the recipient, the sender, what is inside)."""
    pdf = FPDF(format=(105, 148))  # A6, in millimetres
    pdf.set_margins(6, 6, 6)
    pdf.set_auto_page_break(True, 6)
    pdf.add_page()
    pdf.set_title(_latin(title))
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(
        0,
        7,
        _latin(f"{couriers.courier_name(courier)} {(service or '').upper()}".strip()),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if waybill:
        code = "".join(ch for ch in waybill.upper() if ch.isalnum() or ch in "-. $/+%")
        pdf.code39(f"*{code}*", x=6, y=pdf.get_y() + 1, w=0.8 if len(code) > 14 else 1, h=14)
        pdf.set_y(pdf.get_y() + 17)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 7, _latin(_("Resi: %(w)s", w=waybill)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _latin(number), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for heading, lines in blocks:
        _block(pdf, heading, lines)
    return bytes(pdf.output())


def _buyer_lines(checkout) -> list[str]:
    return [
        f"{checkout.ship_name} ({checkout.ship_phone})",
        ", ".join(x for x in (checkout.ship_street, checkout.ship_village, checkout.ship_district) if x),
        f"{checkout.ship_regency_name} {checkout.ship_postal_code}",
    ]


def _group_lines(group) -> list[str]:
    return [
        f"{group.name} ({group.whatsapp or '-'})",
        ", ".join(x for x in (group.address, group.village, group.district) if x),
        f"{group.regency_name} {group.postal_code or ''}",
    ]


def _contents(order) -> tuple[str, list[str]]:
    lines = ", ".join(f"{line.quantity} x {line.name}" for line in order.lines)
    return _("Isi paket (%(w)s g)", w=order.weight_g), [lines[:300]]


def render(order) -> bytes:
    shipment = order.shipment
    return _label(
        _("Label %(n)s", n=order.number),
        shipment.courier,
        shipment.service,
        shipment.waybill or "",
        _("Pesanan %(n)s", n=order.number),
        [(_("Penerima"), _buyer_lines(order.checkout)), (_("Pengirim"), _group_lines(order.group)), _contents(order)],
    )


def render_return(ret) -> bytes:
    """The label the buyer tapes to the goods she sends back: to the group, from her."""
    order = ret.complaint.order
    return _label(
        _("Label retur %(n)s", n=order.number),
        ret.courier or "",
        ret.service,
        ret.waybill or "",
        _("Pengembalian barang pesanan %(n)s", n=order.number),
        [(_("Penerima"), _group_lines(order.group)), (_("Pengirim"), _buyer_lines(order.checkout)), _contents(order)],
    )
