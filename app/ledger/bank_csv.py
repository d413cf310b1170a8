"""The approved payouts an admin transfers by hand, as a CSV a bank's bulk transfer (KlikBCA Bisnis, BRI
CMS, Mandiri MCM and the like) takes after its own template's column mapping: one row per transfer, the
amount in whole rupiah, no thousands separators, the description the group sees on its statement."""

from __future__ import annotations

import csv
import io

HEADER = ("bank", "account_number", "account_name", "amount_idr", "description")


def bank_transfer_csv(rows: list[tuple[str, str, str, int, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for bank, number, name, amount, description in rows:
        writer.writerow((_cell(bank), number, _cell(name), amount, description))
    return out.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet never reads a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
