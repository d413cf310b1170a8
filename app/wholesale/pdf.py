"""The invoice as a PDF, in Bahasa Indonesia: the only module that imports fpdf2."""
from __future__ import annotations

from fpdf import FPDF

from app.core import regions
from app.core.money import format_rupiah


def _latin(text: str | None) -> str:
    return (text or "").replace("—", "-").replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'") \
        .encode("latin-1", "replace").decode("latin-1")


def _date(d) -> str:
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    return f"{d.day} {months[d.month - 1]} {d.year}"


def render(invoice) -> bytes:
    order, org, group = invoice.order, invoice.organisation, invoice.order.group
    checkout = order.checkout
    pdf = FPDF(format="A4")
    pdf.set_title(f"Invoice {invoice.number}")
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "INVOICE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    rows = [("Nomor", invoice.number), ("Tanggal", _date(invoice.issued_on)),
            ("Jatuh tempo", _date(invoice.due_on)), ("Nomor pesanan", order.number)]
    if checkout.purchase_number:
        rows.append(("Nomor pembelian (PO)", checkout.purchase_number))
    for label, value in rows:
        pdf.cell(45, 6, _latin(label))
        pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    y = pdf.get_y()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(95, 6, "Penjual")
    pdf.cell(0, 6, "Pembeli", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    seller = [group.name, ", ".join(x for x in (group.village, group.district, group.regency_name, group.province_name) if x)]
    if group.payout_account_number:
        seller.append(f"Rek. {group.payout_bank} {group.payout_account_number} a.n. {group.payout_account_name}")
    buyer = [org.name, f"NPWP: {org.npwp}" if org.npwp else "NPWP: -",
             ", ".join(x for x in (checkout.ship_street, checkout.ship_district, regions.regency_name(checkout.ship_regency_code)) if x)]
    x0 = pdf.get_x()
    pdf.multi_cell(90, 5, _latin("\n".join(seller)))
    pdf.set_xy(x0 + 95, y + 6)
    pdf.multi_cell(0, 5, _latin("\n".join(buyer)))
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    widths = (80, 25, 40, 45)
    for w, head in zip(widths, ("Barang", "Jumlah", "Harga satuan", "Jumlah harga")):
        pdf.cell(w, 7, head, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for line in order.lines:
        pdf.cell(widths[0], 7, _latin(line.name)[:45], border=1)
        pdf.cell(widths[1], 7, f"{line.quantity} {_latin(line.unit)}", border=1)
        pdf.cell(widths[2], 7, format_rupiah(line.unit_price_idr), border=1, align="R")
        pdf.cell(widths[3], 7, format_rupiah(line.line_total_idr), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    for label, amount, bold in (("Subtotal barang", order.goods_idr, False), ("Ongkos kirim", order.shipping_idr, False),
                                ("TOTAL", order.total_idr, True)):
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.cell(sum(widths[:3]), 7, label, border=1, align="R")
        pdf.cell(widths[3], 7, format_rupiah(amount), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    status = {"unpaid": "Belum dibayar", "paid": "Lunas", "void": "Dibatalkan"}.get(invoice.status, invoice.status)
    pdf.multi_cell(0, 5, _latin(f"Status: {status}. Mohon dibayar paling lambat {_date(invoice.due_on)} "
                                f"dengan mencantumkan nomor invoice {invoice.number}. Diterbitkan melalui Pasar UPPKS."))
    return bytes(pdf.output())
