"""Exports of the dashboard: CSV (standard library) and a spreadsheet (openpyxl, only here)."""
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
