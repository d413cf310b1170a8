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


def render(order) -> bytes:
    shipment, checkout, group = order.shipment, order.checkout, order.group
    pdf = FPDF(format=(105, 148))  # A6, in millimetres
    pdf.set_margins(6, 6, 6)
    pdf.set_auto_page_break(True, 6)
    pdf.add_page()
    pdf.set_title(_latin(_("Label %(n)s", n=order.number)))
    pdf.set_font("Helvetica", "B", 13)
    service = (shipment.service or "").upper()
    pdf.cell(
        0, 7, _latin(f"{couriers.courier_name(shipment.courier)} {service}".strip()), new_x="LMARGIN", new_y="NEXT"
    )
    waybill = shipment.waybill or ""
    if waybill:
        code = "".join(ch for ch in waybill.upper() if ch.isalnum() or ch in "-. $/+%")
        pdf.code39(f"*{code}*", x=6, y=pdf.get_y() + 1, w=0.8 if len(code) > 14 else 1, h=14)
        pdf.set_y(pdf.get_y() + 17)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 7, _latin(_("Resi: %(w)s", w=waybill)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _latin(_("Pesanan %(n)s", n=order.number)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _block(
        pdf,
        _("Penerima"),
        [
            f"{checkout.ship_name} ({checkout.ship_phone})",
            ", ".join(x for x in (checkout.ship_street, checkout.ship_village, checkout.ship_district) if x),
            f"{checkout.ship_regency_name} {checkout.ship_postal_code}",
        ],
    )
    _block(
        pdf,
        _("Pengirim"),
        [
            f"{group.name} ({group.whatsapp or '-'})",
            ", ".join(x for x in (group.address, group.village, group.district) if x),
            f"{group.regency_name} {group.postal_code or ''}",
        ],
    )
    contents = ", ".join(f"{line.quantity} x {line.name}" for line in order.lines)
    _block(pdf, _("Isi paket (%(w)s g)", w=order.weight_g), [contents[:300]])
    return bytes(pdf.output())
