"""Exports of the dashboard: its rows per kabupaten/kota, as CSV (standard library) and as a spreadsheet
(openpyxl, only here)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font


def to_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read the accents


def to_xlsx(rows: list[list], title: str, months: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Per kabupaten-kota"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in rows:
        sheet.append(row)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 34
    monthly = book.create_sheet("Per bulan")
    monthly.append(["bulan", "pesanan", "penjualan (Rp)", "dilihat platform (Rp)"])
    for m in months:
        monthly.append([m["month"], m["orders"], m["sales_idr"], m.get("sales_seen_idr", 0)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_rows(data: dict) -> list[list]:
    keys = (
        "orders",
        "sales_idr",
        "sales_seen_idr",
        "sales_group_received_idr",
        "sales_invoiced_idr",
        "offline_sales_idr",
        "held_sales_idr",
        "held_offline_sales_idr",
        "money_reached_idr",
    )
    head = [
        "kode",
        "kabupaten/kota",
        "kelompok",
        "kelompok terverifikasi",
        "anggota",
        "produk",
        "produk berizin",
        "pesanan",
        "penjualan (Rp)",
        "dilihat platform (Rp)",
        "menurut kelompok (Rp)",
        "ditagih belum dibayar (Rp)",
        "dicatat kelompok di luar platform (Rp)",
        "pesanan menunggu petugas (Rp)",
        "catatan menunggu petugas (Rp)",
        "uang sampai ke kelompok (Rp)",
    ]
    rows = [
        [
            r["code"],
            r["name"],
            r["groups"],
            r["verified_groups"],
            r["members"],
            r["products"],
            r["products_with_permit"],
            *(r.get(k, 0) for k in keys),
        ]
        for r in data["by_regency"]
    ]
    rows.append(
        [
            "",
            "JUMLAH",
            data["groups"],
            data["verified_groups"],
            data["members"],
            data["products"],
            data["products_with_permit"],
            *(data.get(k, 0) for k in keys),
        ]
    )
    return [head] + rows
