"""The sales statement as a PDF in Bahasa Indonesia, with a QR code to its verification page."""
from __future__ import annotations

import io
from datetime import date

import segno
from babel.dates import format_date
from fpdf import FPDF

from app.core.money import format_rupiah
from app.core.text import latin1 as _latin


def _month(value: str, pattern: str = "LLLL yyyy") -> str:
    """"2026-11" as "November 2026" (or another Babel pattern), in Bahasa Indonesia."""
    year, month = (int(x) for x in value.split("-"))
    return format_date(date(year, month, 1), pattern, locale="id")


def render(statement, verify_url: str) -> bytes:
    s = statement.snapshot
    group, period = s["group"], s["period"]
    pdf = FPDF(format="A4")
    pdf.set_title(f"Rekap penjualan {statement.code}")
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - pdf.r_margin - 36, y=pdf.t_margin, w=36, h=36)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, "REKAP PENJUALAN", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    place = ", ".join(x for x in (group.get("village"), group.get("district"), group["regency"], group["province"]) if x)
    for label, value in (("Kelompok", group["name"]), ("Alamat", place),
                         ("Anggota", f"{group['member_count']} orang"),
                         ("Periode", f"{_month(period['start'][:7])} - {_month(period['end'][:7])}"),
                         ("Kode", statement.code), ("Diterbitkan", format_date(statement.issued_at, "long", locale="id")),
                         ("Berlaku sampai", format_date(statement.expires_at, "long", locale="id"))):
        pdf.cell(35, 6, _latin(label))
        pdf.multi_cell(pdf.epw - 35 - 40, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + 40) + 4)
    with pdf.table(col_widths=(50, 45, 30, 55), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), line_height=6) as table:
        head = table.row()
        for text in ("Bulan", "Penjualan di Pasar UPPKS", "Pesanan", "Di luar platform*"):
            head.cell(text)
        for m in s["months"]:
            row = table.row()
            row.cell(_latin(_month(m["month"])))
            row.cell(format_rupiah(m["platform_idr"]))
            row.cell(str(m["platform_orders"]))
            row.cell(format_rupiah(m["offline_idr"]))
        row = table.row()
        row.cell("Jumlah")
        row.cell(format_rupiah(s["platform_idr"]))
        row.cell(str(s["platform_orders"]))
        row.cell(format_rupiah(s["offline_idr"]))
    # a chart of months: platform sales as bars
    pdf.ln(4)
    top = max((m["platform_idr"] + m["offline_idr"] for m in s["months"]), default=0) or 1
    x0, width, height = pdf.l_margin, pdf.epw, 30
    bar = width / max(1, len(s["months"]))
    y0 = pdf.get_y() + height
    for i, m in enumerate(s["months"]):
        h1 = height * m["platform_idr"] / top
        h2 = height * m["offline_idr"] / top
        if h1:
            pdf.set_fill_color(0, 137, 90)
            pdf.rect(x0 + i * bar + 1, y0 - h1, bar - 2, h1, style="F")
        if h2:
            pdf.set_fill_color(170, 200, 185)
            pdf.rect(x0 + i * bar + 1, y0 - h1 - h2, bar - 2, h2, style="F")
    pdf.set_font("Helvetica", "", 7)
    for i, m in enumerate(s["months"]):  # each bar's month under it
        pdf.set_xy(x0 + i * bar, y0 + 0.5)
        pdf.cell(bar, 4, _latin(_month(m["month"], "LLL yy")), align="C")
    pdf.set_y(y0 + 6)
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 5, "Hijau tua: penjualan di Pasar UPPKS. Hijau muda: penjualan di luar platform (dicatat kelompok).",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    for label, value in (("Pembeli berbeda", s["buyers"]), ("Pembeli bisnis", s["business_buyers"]),
                         ("Kemitraan", s["partnerships"]), ("Produk dijual", s["products"]),
                         ("Produk dengan izin berlaku", s["products_with_permit"])):
        pdf.cell(60, 6, _latin(label))
        pdf.cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _latin(
        "* Penjualan di luar platform dicatat sendiri oleh kelompok (pasar, bazar, pesanan langsung) dan tidak "
        "diperiksa Pasar UPPKS. Penjualan di Pasar UPPKS dihitung dari pesanan yang dibayar atau ditagih, tanpa yang "
        f"dibatalkan atau dikembalikan. Periksa keaslian dan masa berlaku di {verify_url} (kode {statement.code}). "
        f"Sidik SHA-256 angka-angka ini: {statement.snapshot_hash}"), align="L")
    return bytes(pdf.output())
