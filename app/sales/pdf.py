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
    """ "2026-11" as "November 2026" (or another Babel pattern), in Bahasa Indonesia."""
    year, month = (int(x) for x in value.split("-"))
    return format_date(date(year, month, 1), pattern, locale="id")


def render(statement, verify_url: str) -> bytes:
    s = statement.snapshot
    pdf = FPDF(format="A4")
    pdf.set_title(f"Rekap penjualan {statement.code}")
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    _qr_code(pdf, verify_url)
    _header(pdf, statement)
    if s.get("version", 1) >= 2:
        _kinds(pdf, s)
    else:
        _version_1(pdf, s)
    _counts(pdf, s)
    _footnote(pdf, statement, verify_url)
    return bytes(pdf.output())


def _qr_code(pdf: FPDF, verify_url: str) -> None:
    """The QR code to the verification page, in the top right corner."""
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - pdf.r_margin - 36, y=pdf.t_margin, w=36, h=36)


def _header(pdf: FPDF, statement) -> None:
    """The title, the group, the period and the statement's code and dates, beside the QR code."""
    group, period = statement.snapshot["group"], statement.snapshot["period"]
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, "REKAP PENJUALAN", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    place = ", ".join(
        x for x in (group.get("village"), group.get("district"), group["regency"], group["province"]) if x
    )
    for label, value in (
        ("Kelompok", group["name"]),
        ("Alamat", place),
        ("Anggota", f"{group['member_count']} orang"),
        ("Periode", f"{_month(period['start'][:7])} - {_month(period['end'][:7])}"),
        ("Kode", statement.code),
        ("Diterbitkan", format_date(statement.issued_at, "long", locale="id")),
        ("Berlaku sampai", format_date(statement.expires_at, "long", locale="id")),
    ):
        pdf.cell(35, 6, _latin(label))
        pdf.multi_cell(pdf.epw - 35 - 40, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + 40) + 4)


def _counts(pdf: FPDF, s: dict) -> None:
    """Buyers, partnerships and products, under the months."""
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    for label, value in (
        ("Pembeli berbeda", s["buyers"]),
        ("Pembeli bisnis", s["business_buyers"]),
        ("Kemitraan", s["partnerships"]),
        ("Produk dijual", s["products"]),
        ("Produk dengan izin berlaku", s["products_with_permit"]),
    ):
        pdf.cell(60, 6, _latin(label))
        pdf.cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _footnote(pdf: FPDF, statement, verify_url: str) -> None:
    """What the figures mean, and where to check the statement."""
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        _latin(
            _note(statement.snapshot) + f"Periksa keaslian dan masa berlaku di {verify_url} (kode {statement.code}). "
            f"Sidik SHA-256 angka-angka ini: {statement.snapshot_hash}"
        ),
        align="L",
    )


def _note(s: dict) -> str:
    """Which figures the platform vouches for (version 2), or where the sales come from (version 1)."""
    if s.get("version", 1) < 2:
        return (
            "* Penjualan di luar platform dicatat sendiri oleh kelompok (pasar, bazar, pesanan langsung) dan tidak "
            "diperiksa Pasar UPPKS. Penjualan di Pasar UPPKS dihitung dari pesanan yang dibayar atau ditagih, tanpa "
            "yang dibatalkan atau dikembalikan. "
        )
    note = (
        'Pasar UPPKS hanya menjamin kolom "Dilihat Pasar UPPKS": uang yang dilihatnya sendiri masuk (kartu, '
        "QRIS, virtual account, e-wallet, transfer ke rekening Pasar UPPKS, invoice yang dibayar ke Pasar "
        'UPPKS). "Menurut kelompok" (transfer ke rekening kelompok sendiri, tunai di stan, invoice yang '
        'ditandai lunas oleh kelompok) dan "Dicatat kelompok" (penjualan di luar platform yang dicatat '
        "sendiri oleh kelompok: pasar, bazar, pesanan langsung) adalah keterangan kelompok yang tidak diperiksa Pasar UPPKS. Pembelian oleh kelompok "
        "sendiri dan oleh akun yang emailnya belum terbukti tidak pernah dihitung. / Pasar UPPKS vouches only "
        'for "Seen by Pasar UPPKS": money it saw arrive itself. "The group says" and "Declared by the '
        "group\" are the group's word, not checked. "
    )
    if s.get("held_idr"):
        note += (
            f"Menunggu pemeriksaan petugas, tidak dihitung / Waiting for an officer, not counted: "
            f"{format_rupiah(s['held_idr'])}. "
        )
    return note


def _kinds(pdf: FPDF, s: dict) -> None:
    """Version 2: each kind of money in its own column; the one the platform vouches for first."""
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(
        col_widths=(34, 38, 38, 34, 36), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), line_height=5
    ) as table:
        head = table.row()
        for text in (
            "Bulan / Month",
            "Dilihat Pasar UPPKS (dijamin) / Seen by Pasar UPPKS (vouched)",
            "Menurut kelompok / The group says it received",
            "Ditagih, belum dibayar / Invoiced, unpaid",
            "Dicatat kelompok / Declared by the group",
        ):
            head.cell(text)
        for m in s["months"]:
            row = table.row()
            row.cell(_latin(_month(m["month"])))
            for key in ("seen_idr", "group_received_idr", "invoiced_idr", "offline_idr"):
                row.cell(format_rupiah(m[key]))
        row = table.row()
        row.cell("Jumlah / Total")
        for key in ("seen_idr", "group_received_idr", "invoiced_idr", "offline_idr"):
            row.cell(format_rupiah(s[key]))
    pdf.ln(4)
    _chart(
        pdf,
        s["months"],
        (("seen_idr",), (0, 137, 90)),
        (("group_received_idr", "invoiced_idr"), (120, 170, 145)),
        (("offline_idr",), (200, 222, 210)),
    )
    pdf.cell(
        0,
        5,
        "Hijau tua: dilihat Pasar UPPKS. Hijau sedang: menurut kelompok dan ditagih. Hijau muda: dicatat kelompok.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if "paid_out_idr" in s:
        pdf.cell(0, 5, _latin(_paid_out(s)), new_x="LMARGIN", new_y="NEXT")


def _paid_out(s: dict) -> str:
    """One line, traceable to the ledger: what the platform sent to the group's bank account, by payout."""
    line = f"Dikirim Pasar UPPKS ke rekening kelompok (buku besar): {format_rupiah(s['paid_out_idr'])}"
    if s.get("paid_out_payouts"):
        line += " - pencairan nomor " + ", ".join(str(i) for i in s["paid_out_payouts"])
    return line


def _version_1(pdf: FPDF, s: dict) -> None:
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
    pdf.ln(4)
    _chart(pdf, s["months"], (("platform_idr",), (0, 137, 90)), (("offline_idr",), (170, 200, 185)))
    pdf.cell(
        0,
        5,
        "Hijau tua: penjualan di Pasar UPPKS. Hijau muda: penjualan di luar platform (dicatat kelompok).",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _chart(pdf: FPDF, months: list[dict], *stacks) -> None:
    """The months as stacked bars, one colour per (keys, colour), the first at the bottom; leaves the font
    at 8 points under the chart."""
    top = max((sum(m[k] for keys, _c in stacks for k in keys) for m in months), default=0) or 1
    x0, width, height = pdf.l_margin, pdf.epw, 30
    bar = width / max(1, len(months))
    y0 = pdf.get_y() + height
    for i, m in enumerate(months):
        y = y0
        for keys, colour in stacks:
            h = height * sum(m[k] for k in keys) / top
            if h:
                pdf.set_fill_color(*colour)
                pdf.rect(x0 + i * bar + 1, y - h, bar - 2, h, style="F")
                y -= h
    pdf.set_font("Helvetica", "", 7)
    for i, m in enumerate(months):  # each bar's month under it
        pdf.set_xy(x0 + i * bar, y0 + 0.5)
        pdf.cell(bar, 4, _latin(_month(m["month"], "LLL yy")), align="C")
    pdf.set_y(y0 + 6)
    pdf.set_font("Helvetica", "", 8)
