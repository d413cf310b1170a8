"""The platform's bank account: the statement an admin uploads (CSV: date, amount, description), each line
matched with the ledger's money that reached the bank (a transfer to the platform's account, an invoice paid
to it) by the transfer code the buyer wrote in the description, or else by its amount; money out matched
with the ledger's payouts and refunds by amount. What matches nothing is a difference (reconcile.record)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import Forbidden, ValidationFailed
from app.extensions import db

from .models import CLEARING, PAYOUTS_IN_TRANSIT, LedgerAccount, LedgerEntry, LedgerPosting, PostingKind
from .recon_models import BankLine, DifferenceKind, ReconciliationRun
from .reconcile import Found, record

JAKARTA = ZoneInfo("Asia/Jakarta")
BANK = "bank"
MAX_LINES = 20000
# the ledger's sources (transfer:checkout:12) -> the code the buyer wrote in the transfer's description;
# registered by the areas that know them (payments: transfer codes)
CodesOf = Callable[[set[str]], dict[str, str]]
CODES: list[CodesOf] = []
_HEADERS = {"date": "date", "tanggal": "date", "amount": "amount", "jumlah": "amount", "nominal": "amount"}
_HEADERS |= {"description": "description", "keterangan": "description", "berita": "description"}


def register_codes(codes_of: CodesOf) -> None:
    CODES.append(codes_of)


# ------------------------------------------------------------------ reading the statement


def _amount(text: str) -> int:
    """ "1.500.000", "1,500,000.00", "-150.000,00", "Rp 75.000" -> whole rupiah."""
    value = re.sub(r"[^\d,.\-]", "", text)
    negative = value.startswith("-")
    value = value.lstrip("-")
    decimals = re.search(r"[.,](\d{1,2})$", value)
    if decimals:
        value = value[: decimals.start()]
    digits = re.sub(r"[.,]", "", value)
    if not digits.isdigit():
        raise ValueError(text)
    return -int(digits) if negative else int(digits)


def _date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse(data: bytes) -> list[tuple[date, int, str]]:
    """The statement's lines (date, amount, description). Its first row names the columns (date, amount,
    description; or tanggal, jumlah, keterangan). A line that cannot be read: ValidationFailed, naming it."""
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    if not rows:
        raise ValidationFailed(_("Berkasnya kosong."), {"statement": [_("Berkasnya kosong.")]})
    columns = {_HEADERS.get(name.strip().lower()): i for i, name in enumerate(rows[0])}
    if not {"date", "amount", "description"} <= columns.keys():
        message = _("Baris pertama harus menamai kolomnya: tanggal, jumlah, keterangan.")
        raise ValidationFailed(message, {"statement": [message]})
    lines = []
    for number, row in enumerate(rows[1 : MAX_LINES + 1], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            lines.append(
                (
                    _date(row[columns["date"]]),
                    _amount(row[columns["amount"]]),
                    row[columns["description"]].strip()[:255],
                )
            )
        except (ValueError, IndexError):
            message = _("Baris %(n)s tidak terbaca (tanggal, jumlah, keterangan).", n=number)
            raise ValidationFailed(message, {"statement": [message]}) from None
    return lines


def upload(actor: User, data: bytes) -> dict:
    """An admin uploads the bank's statement: its new lines are kept (the same statement again adds nothing)
    and matched with the ledger at once. Commits."""
    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang dapat mengunggah rekening koran."))
    lines = parse(data)
    seen: dict[tuple, int] = {}
    added = 0
    for booked_on, amount, description in lines:
        nth = seen[(booked_on, amount, description)] = seen.get((booked_on, amount, description), 0) + 1
        fingerprint = hashlib.sha256(f"{booked_on}|{amount}|{description}|{nth}".encode()).hexdigest()
        if db.session.scalar(select(BankLine.id).where(BankLine.fingerprint == fingerprint)) is None:
            db.session.add(
                BankLine(
                    fingerprint=fingerprint,
                    booked_on=booked_on,
                    amount_idr=amount,
                    description=description,
                    uploaded_by_id=actor.id,
                )
            )
            added += 1
    run = ReconciliationRun(summary={})
    db.session.add(run)
    db.session.flush()
    summary = match(run)
    run.summary = {"providers": {BANK: summary}, "upload": {"lines": len(lines), "added": added}}
    run.finished_at = run.started_at
    db.session.commit()
    return {"lines": len(lines), "added": added, **summary}


# ------------------------------------------------------------------ matching


def _day(value: datetime) -> date:
    return value.astimezone(JAKARTA).date()


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=JAKARTA)


def _received(lo: date, hi: date) -> dict[str, tuple[int, date]]:
    """The ledger's money that reached the platform's bank between two days, per source, not yet matched
    with a statement line: {source: (amount, day posted)}."""
    matched = select(BankLine.matched_source).where(BankLine.matched_source.is_not(None))
    rows = db.session.execute(
        select(LedgerPosting.source, func.sum(LedgerEntry.amount_idr), func.min(LedgerPosting.created_at))
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(
            LedgerAccount.code == CLEARING[BANK],
            LedgerPosting.kind == PostingKind.SALE,
            LedgerPosting.created_at >= _start(lo),
            LedgerPosting.created_at < _start(hi + timedelta(days=1)),
            LedgerPosting.source.not_in(matched),
        )
        .group_by(LedgerPosting.source)
    )
    return {source: (-int(total), _day(first)) for source, total, first in rows}


def _paid_out(lo: date, hi: date) -> dict[str, tuple[int, date]]:
    """Money the ledger sent out between two days (payouts; refunds from the bank's clearing), per posting,
    not yet matched: {"posting:<key>": (amount, day)}."""
    matched = select(BankLine.matched_source).where(BankLine.matched_source.is_not(None))
    rows = db.session.execute(
        select(LedgerPosting.key, LedgerEntry.amount_idr, LedgerPosting.created_at)
        .join(LedgerEntry, LedgerEntry.posting_id == LedgerPosting.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(
            db.or_(
                db.and_(LedgerAccount.code == PAYOUTS_IN_TRANSIT, LedgerPosting.kind == PostingKind.PAYOUT),
                db.and_(LedgerAccount.code == CLEARING[BANK], LedgerPosting.kind == PostingKind.REFUND),
            ),
            LedgerPosting.created_at >= _start(lo),
            LedgerPosting.created_at < _start(hi + timedelta(days=1)),
            ("posting:" + LedgerPosting.key).not_in(matched),
        )
    )
    return {f"posting:{key}": (int(amount), _day(at)) for key, amount, at in rows if int(amount) > 0}


def _codes(sources: set[str]) -> dict[str, str]:
    """code -> source, for the sources the areas know a code of."""
    found: dict[str, str] = {}
    for codes_of in CODES:
        for source, code in codes_of(sources).items():
            if code:
                found[code.upper()] = source
    return found


def _by_amount(pool: dict[str, tuple[int, date]], amount: int, day: date) -> str | None:
    """The one source in the pool of that amount posted within a week after the line's day (the day before,
    too: a confirmation may be dated before the bank books it)."""
    fits = [s for s, (a, d) in pool.items() if a == amount and day - timedelta(days=1) <= d <= day + timedelta(days=7)]
    return fits[0] if len(fits) == 1 else None


def match(run: ReconciliationRun) -> dict:
    """Every statement line not matched yet, with the ledger: by code, else by amount. Lines that match
    nothing, and the ledger's bank money of the statement's days that no line has, are differences."""
    lo, hi = db.session.execute(select(func.min(BankLine.booked_on), func.max(BankLine.booked_on))).one()
    if lo is None:
        return {"lines": 0}
    lines = list(
        db.session.scalars(select(BankLine).where(BankLine.matched_source.is_(None)).order_by(BankLine.booked_on))
    )
    income = _received(lo - timedelta(days=7), hi + timedelta(days=7))
    outgo = _paid_out(lo - timedelta(days=7), hi + timedelta(days=7))
    codes = _codes(set(income))
    checked = set(income) | set(outgo) | {f"bank:line:{line.id}" for line in lines}
    found: list[Found] = []
    matched = 0
    for line in lines:
        if line.amount_idr < 0:
            source = _by_amount(outgo, -line.amount_idr, line.booked_on)
            pool = outgo
        else:
            words = re.sub(r"[\s\-_.·/]+", "", line.description.upper())
            source = next((s for code, s in codes.items() if code in words and s in income), None)
            source = source or _by_amount(income, line.amount_idr, line.booked_on)
            pool = income
        if source is None:
            detail = f"{line.booked_on:%Y-%m-%d} {line.description}"[:255]
            found.append(Found(DifferenceKind.MISSING_IN_LEDGER, f"bank:line:{line.id}", None, line.amount_idr, detail))
            continue
        line.matched_source = source
        amount, _day_posted = pool.pop(source)
        if amount != abs(line.amount_idr):
            found.append(Found(DifferenceKind.AMOUNT_DIFFERS, source, amount, abs(line.amount_idr), line.description))
        matched += 1
    for source, (amount, day) in sorted(income.items()):
        if lo <= day <= hi:
            found.append(Found(DifferenceKind.UNKNOWN_TO_PROVIDER, source, amount, None, f"{day:%Y-%m-%d}"))
    differences = record(run, BANK, found, checked)
    return {"lines": len(lines), "matched": matched, "differences": differences}
