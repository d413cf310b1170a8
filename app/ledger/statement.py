"""A group's monthly statement of its money (CSV and PDF, from its money page): the money Pasar UPPKS holds
for the group (pending and available) at the month's first moment, each movement of the month, and at its
end: closing = opening + the movements. Money paid straight to the group is listed apart: it was never held,
so it is not in the balance."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from fpdf import FPDF
from sqlalchemy import func, select

from app.core.errors import NotFound
from app.core.money import format_rupiah
from app.core.text import latin1
from app.core.timefmt import month_name, today_wib
from app.extensions import db
from app.groups.models import Group

from .labels import KIND_LABELS
from .models import AVAILABLE, DIRECT, PENDING, LedgerAccount, LedgerEntry, LedgerPosting, group_account

JAKARTA = ZoneInfo("Asia/Jakarta")
MONTHS_OFFERED = 6


@dataclass
class Line:
    at: datetime
    order_id: int | None
    kind: str
    description: str
    amount_idr: int  # what it changed in the money held for the group
    available_idr: int  # what it changed in the money that may be paid out
    number: str = ""  # the order's number, filled by the page


@dataclass
class MonthStatement:
    group: Group
    month: date  # its first day
    opening_idr: int
    closing_idr: int
    lines: list[Line] = field(default_factory=list)
    direct: list[Line] = field(default_factory=list)

    @property
    def direct_idr(self) -> int:
        return sum(line.amount_idr for line in self.direct)


def month_of(text: str) -> date:
    """ "2026-11" -> its first day; anything else (or a month not begun): 404."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise NotFound(_("Bulan tidak ditemukan."))
    first = date(int(found.group(1)), int(found.group(2)), 1)
    if first > today_wib() or first.year < 2000:
        raise NotFound(_("Bulan tidak ditemukan."))
    return first


def months_offered() -> list[date]:
    """This month and the five before it, newest first."""
    first = today_wib().replace(day=1)
    index = first.year * 12 + first.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(MONTHS_OFFERED)]


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=JAKARTA)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def build(group: Group, month: date) -> MonthStatement:
    """The month's statement of the group's money (the caller has checked who may see it)."""
    held = [group_account(group.id, PENDING), group_account(group.id, AVAILABLE)]
    lo, hi = _start(month), _start(_next_month(month))
    opening = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.code.in_(held), LedgerEntry.created_at < lo)
    )
    statement = MonthStatement(group, month, int(opening or 0), int(opening or 0))
    by_posting: dict[int, Line] = {}
    rows = db.session.execute(
        select(LedgerPosting, LedgerAccount.code, LedgerEntry.amount_idr)
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.group_id == group.id, LedgerEntry.created_at >= lo, LedgerEntry.created_at < hi)
        .order_by(LedgerPosting.id)
    )
    direct = group_account(group.id, DIRECT)
    for posting, code, amount in rows:
        line = by_posting.get(posting.id)
        if line is None:
            line = by_posting[posting.id] = Line(
                posting.created_at, posting.order_id, posting.kind, posting.description, 0, 0
            )
            (statement.direct if code == direct else statement.lines).append(line)
        line.amount_idr += int(amount)
        if code == held[1]:
            line.available_idr += int(amount)
    statement.closing_idr = statement.opening_idr + sum(line.amount_idr for line in statement.lines)
    return statement


def _kind(line: Line) -> str:
    return str(KIND_LABELS.get(line.kind, line.kind))


def _day(line: Line) -> str:
    return f"{line.at.astimezone(JAKARTA):%Y-%m-%d}"


def as_csv(statement: MonthStatement) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["tanggal", "nomor pesanan", "jenis", "keterangan", "jumlah (Rp)", "bisa dicairkan (Rp)"])
    w.writerow([f"{statement.month:%Y-%m-%d}", "", "saldo awal", "", statement.opening_idr, ""])
    for line in statement.lines:
        w.writerow([_day(line), line.number, _kind(line), line.description, line.amount_idr, line.available_idr])
    w.writerow(["", "", "saldo akhir", "", statement.closing_idr, ""])
    for line in statement.direct:
        w.writerow(
            [_day(line), line.number, _kind(line), line.description + " (tidak termasuk saldo)", line.amount_idr, ""]
        )
    return out.getvalue()


def as_pdf(statement: MonthStatement) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"Laporan uang {statement.group.name} {statement.month:%Y-%m}"))
    pdf.set_author("Pasar UPPKS")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, "LAPORAN UANG KELOMPOK", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, latin1(f"{statement.group.name} - {month_name(statement.month)}"), new_x="LMARGIN", new_y="NEXT")
    held = "Uang yang dipegang Pasar UPPKS untuk kelompok (menunggu dan bisa dicairkan)."
    pdf.cell(0, 6, latin1(held), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (24, 34, 44, 58, 30)
    _row(pdf, widths, ("Tanggal", "Pesanan", "Jenis", "Keterangan", "Jumlah"), bold=True)
    _row(pdf, widths, (f"{statement.month:%Y-%m-%d}", "", "Saldo awal", "", format_rupiah(statement.opening_idr)))
    for line in statement.lines:
        _row(pdf, widths, (_day(line), line.number, _kind(line), line.description, format_rupiah(line.amount_idr)))
    _row(pdf, widths, ("", "", "Saldo akhir", "", format_rupiah(statement.closing_idr)), bold=True)
    if statement.direct:
        pdf.ln(4)
        pdf.cell(0, 6, latin1("Diterima langsung oleh kelompok (tidak termasuk saldo):"), new_x="LMARGIN", new_y="NEXT")
        for line in statement.direct:
            _row(pdf, widths, (_day(line), line.number, _kind(line), line.description, format_rupiah(line.amount_idr)))
    return bytes(pdf.output())


def _row(pdf: FPDF, widths: tuple[int, ...], cells: tuple[str, ...], bold: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", 8)
    for width, text in zip(widths, cells, strict=True):
        pdf.cell(width, 6, latin1(text)[: int(width / 1.6)], border="B")
    pdf.ln()
