"""The invoice as a PDF, in Bahasa Indonesia: the only module that imports fpdf2."""

from __future__ import annotations

from babel.dates import format_date
from fpdf import FPDF

from app.core import regions
from app.core.money import format_rupiah
from app.core.text import latin1 as _latin


def _date(d) -> str:
    """As the pages write it in Bahasa Indonesia (Babel): "24 Desember 2026"."""
    return format_date(d, "long", locale="id")


def render(invoice) -> bytes:
    order, org, group = invoice.order, invoice.organisation, invoice.order.group
    pdf = FPDF(format="A4")
    pdf.set_title(f"Invoice {invoice.number}")
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    _header(pdf, invoice)
    _parties(pdf, _seller_lines(group), _buyer_lines(org, order.checkout))
    _lines_and_totals(pdf, order)
    _footer(pdf, invoice)
    return bytes(pdf.output())


def _header(pdf: FPDF, invoice) -> None:
    """The title and the numbers and dates of the invoice, one a line."""
    order = invoice.order
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "INVOICE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    rows = [
        ("Nomor", invoice.number),
        ("Tanggal", _date(invoice.issued_on)),
        ("Jatuh tempo", _date(invoice.due_on)),
        ("Nomor pesanan", order.number),
    ]
    if order.checkout.po_number:
        rows.append(("Nomor PO pembeli", order.checkout.po_number))
    if order.checkout.purchase_number:
        rows.append(("Nomor pembelian (PO)", order.checkout.purchase_number))
    for label, value in rows:
        pdf.cell(45, 6, _latin(label))
        pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _seller_lines(group) -> list[str]:
    seller = [
        group.name,
        ", ".join(x for x in (group.village, group.district, group.regency_name, group.province_name) if x),
    ]
    if group.payout_account_number:
        seller.append(f"Rek. {group.payout_bank} {group.payout_account_number} a.n. {group.payout_account_name}")
    return seller


def _buyer_lines(org, checkout) -> list[str]:
    return [
        org.name,
        f"NPWP: {org.npwp}" if org.npwp else "NPWP: -",
        ", ".join(
            x
            for x in (checkout.ship_street, checkout.ship_district, regions.regency_name(checkout.ship_regency_code))
            if x
        ),
    ]


def _parties(pdf: FPDF, seller: list[str], buyer: list[str]) -> None:
    """Seller and buyer side by side; what follows starts below the taller of the two, whatever their lengths."""
    top = pdf.get_y()
    half = (pdf.epw - 6) / 2
    bottoms = []
    for i, (title, lines) in enumerate((("Penjual", seller), ("Pembeli", buyer))):
        pdf.set_xy(pdf.l_margin + i * (half + 6), top)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(half, 6, title, new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(half, 5, _latin("\n".join(lines)), new_x="LEFT", new_y="NEXT", align="L")
        bottoms.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottoms) + 6)


def _lines_and_totals(pdf: FPDF, order) -> None:
    """The lines: a table whose cells wrap long names, then the totals under the last column."""
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(
        col_widths=(80, 25, 40, 45),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT"),
        line_height=6,
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for text in ("Barang", "Jumlah", "Harga satuan", "Jumlah harga"):
            head.cell(text)
        for line in order.lines:
            row = table.row()
            row.cell(_latin(line.name))
            row.cell(f"{line.quantity} {_latin(line.unit)}")
            row.cell(format_rupiah(line.unit_price_idr))
            row.cell(format_rupiah(line.line_total_idr))
        for label, amount in (
            ("Subtotal barang", order.goods_idr),
            ("Ongkos kirim", order.shipping_idr),
            ("TOTAL", order.total_idr),
        ):
            row = table.row()
            row.cell(label, colspan=3, align="RIGHT")
            row.cell(format_rupiah(amount))
    pdf.ln(6)


def _footer(pdf: FPDF, invoice) -> None:
    """Whether it is paid, and by when and how to pay it."""
    pdf.set_font("Helvetica", "", 9)
    status = {"unpaid": "Belum dibayar", "paid": "Lunas", "void": "Dibatalkan"}.get(invoice.status, invoice.status)
    pdf.multi_cell(
        0,
        5,
        _latin(
            f"Status: {status}. Mohon dibayar paling lambat {_date(invoice.due_on)} "
            f"dengan mencantumkan nomor invoice {invoice.number}. Diterbitkan melalui Pasar UPPKS."
        ),
    )
