"""A business buyer's documents as PDFs, in Bahasa Indonesia: the invoice, the delivery note (surat jalan)
and the acceptance record (berita acara serah terima). What they say comes from documents.py; this is the
only module that imports fpdf2 for them."""

from __future__ import annotations

from babel.dates import format_date
from fpdf import FPDF

from app.core.money import format_rupiah
from app.core.text import latin1 as _latin
from app.core.timefmt import today_wib

from .documents import Item, Party, buyer_of, invoice_document, items_of, seller_of


def _date(d) -> str:
    """As the pages write it in Bahasa Indonesia (Babel): "24 Desember 2026"."""
    return format_date(d, "long", locale="id")


def _new(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, title: str, rows: list[tuple[str, str]]) -> None:
    """The title and the numbers and dates of the document, one a line."""
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for label, value in rows:
        pdf.cell(45, 6, _latin(label))
        pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _parties(pdf: FPDF, left: tuple[str, Party], right: tuple[str, Party]) -> None:
    """Two parties side by side; what follows starts below the taller of the two, whatever their lengths."""
    top = pdf.get_y()
    half = (pdf.epw - 6) / 2
    bottoms = []
    for i, (title, party) in enumerate((left, right)):
        pdf.set_xy(pdf.l_margin + i * (half + 6), top)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(half, 6, title, new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(half, 5, _latin("\n".join([party.name, *party.lines])), new_x="LEFT", new_y="NEXT", align="L")
        bottoms.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottoms) + 6)


def _items(pdf: FPDF, items: list[Item], totals: list[tuple[str, int]] | None) -> None:
    """A table whose cells wrap long names; with `totals`, prices and the totals under the last column."""
    pdf.set_font("Helvetica", "", 10)
    priced = totals is not None
    widths = (80, 25, 40, 45) if priced else (120, 70)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT") if priced else ("LEFT", "LEFT"),
        line_height=6,
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for text in ("Barang", "Jumlah", "Harga satuan", "Jumlah harga") if priced else ("Barang", "Jumlah"):
            head.cell(text)
        for item in items:
            row = table.row()
            row.cell(_latin(item.name))
            row.cell(f"{item.quantity} {_latin(item.unit)}")
            if priced:
                row.cell(format_rupiah(item.unit_price_idr))
                row.cell(format_rupiah(item.total_idr))
        for label, amount in totals or []:
            row = table.row()
            row.cell(label, colspan=3, align="RIGHT")
            row.cell(format_rupiah(amount))
    pdf.ln(4)


def _paragraphs(pdf: FPDF, texts: list[str], size: int = 9) -> None:
    pdf.set_font("Helvetica", "", size)
    for text in texts:
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _signatures(pdf: FPDF, blocks: list[tuple[str, str]]) -> None:
    """Signature blocks side by side: who signs, a space to sign (or the e-meterai), and the name."""
    pdf.ln(4)
    top = pdf.get_y()
    width = pdf.epw / max(len(blocks), 2)
    start = pdf.l_margin + (pdf.epw / 2 if len(blocks) == 1 else 0)  # one signature: on the right, as letters sign
    for i, (role, name) in enumerate(blocks):
        pdf.set_xy(start + i * width, top)
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(width, 5, _latin(role), align="C", new_x="LEFT", new_y="NEXT")
        pdf.ln(22)
        pdf.set_x(start + i * width)
        pdf.cell(width, 5, _latin(f"( {name} )"), align="C")


def render(invoice) -> bytes:
    doc = invoice_document(invoice)
    pdf = _new(f"Invoice {doc.number}")
    rows = [("Nomor", doc.number), ("Tanggal", _date(doc.issued_on)), ("Jatuh tempo", _date(doc.due_on))]
    rows.append(("Nomor pesanan", doc.order_number))
    if doc.po_number:
        rows.append(("Nomor PO pembeli", doc.po_number))
    if doc.purchase_number:
        rows.append(("Nomor pembelian (PO)", doc.purchase_number))
    _heading(pdf, "INVOICE", rows)
    _parties(pdf, ("Penjual", doc.seller), ("Pembeli", doc.buyer))
    totals = [("Subtotal barang", doc.goods_idr), ("Ongkos kirim", doc.shipping_idr), ("TOTAL", doc.total_idr)]
    _items(pdf, doc.items, totals)
    status = {"unpaid": "Belum dibayar", "paid": "Lunas", "void": "Dibatalkan"}.get(doc.status, doc.status)
    pay = f"Transfer ke rekening {doc.bank}" if doc.bank else "Transfer ke rekening yang diberikan penjual"
    _paragraphs(
        pdf,
        [
            f"Terbilang: {doc.in_words}.",
            f"Status: {status}. Mohon dibayar paling lambat {_date(doc.due_on)}. {pay}, dengan mencantumkan "
            f"nomor invoice {doc.number}.",
            *doc.notes,
            "Diterbitkan melalui Pasar UPPKS.",
        ],
    )
    _signatures(pdf, [("Hormat kami,", doc.signer)])
    return bytes(pdf.output())


def delivery_note(order, org) -> bytes:
    """The surat jalan that travels with the goods: what, how many, to whom; signed when handed over."""
    number = f"SJ-{order.number}"
    pdf = _new(f"Surat jalan {number}")
    rows = [("Nomor", number), ("Tanggal", _date(today_wib())), ("Nomor pesanan", order.number)]
    if order.checkout.po_number:
        rows.append(("Nomor PO pembeli", order.checkout.po_number))
    if order.tracking_number:
        rows.append(("Nomor resi", order.tracking_number))
    _heading(pdf, "SURAT JALAN", rows)
    recipient = buyer_of(org, order.checkout) if org else Party(order.checkout.ship_name, [order.checkout.ship_phone])
    _parties(pdf, ("Pengirim", seller_of(order.group)), ("Penerima", recipient))
    _items(pdf, items_of(order), None)
    _paragraphs(pdf, ["Barang di atas diterima dalam keadaan baik dan jumlah yang sesuai."], size=10)
    _signatures(pdf, [("Pengirim", order.group.name), ("Penerima", order.checkout.ship_name)])
    return bytes(pdf.output())


def acceptance_record(order, org) -> bytes:
    """The berita acara serah terima a government office or state-owned firm files with the payment."""
    number = f"BAST-{order.number}"
    pdf = _new(f"Berita acara serah terima {number}")
    rows = [("Nomor", number), ("Nomor pesanan", order.number)]
    if order.checkout.po_number:
        rows.append(("Nomor PO / SPK", order.checkout.po_number))
    _heading(pdf, "BERITA ACARA SERAH TERIMA BARANG", rows)
    _paragraphs(
        pdf,
        [
            "Pada hari ini, tanggal .................................., yang bertanda tangan di bawah ini:",
            f"PIHAK PERTAMA: {order.group.name}, selaku penyedia barang;",
            f"PIHAK KEDUA: {org.name}, selaku penerima barang;",
            "menyatakan bahwa PIHAK PERTAMA telah menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA telah menerima, "
            "barang berikut dalam keadaan baik dan lengkap:",
        ],
        size=10,
    )
    _items(pdf, items_of(order), [("Jumlah", order.total_idr)])
    _paragraphs(pdf, ["Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya."], size=10)
    _signatures(pdf, [("PIHAK PERTAMA", order.group.name), ("PIHAK KEDUA", org.name)])
    return bytes(pdf.output())
