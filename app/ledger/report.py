"""The admin's reconciliation report (/admin/ledger): the last run, every open difference with what to do
about it, those explained lately, and an admin's note that explains one."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db

from . import book
from .recon_models import BankLine, Difference, DifferenceKind, DifferenceStatus, ReconciliationRun

MISSING, UNKNOWN, DIFFERS = (
    DifferenceKind.MISSING_IN_LEDGER,
    DifferenceKind.UNKNOWN_TO_PROVIDER,
    DifferenceKind.AMOUNT_DIFFERS,
)
# what the difference is, in words, per provider and kind
WHAT: dict[tuple[str, str], object] = {
    ("stripe", MISSING): _l("Stripe menerima uang yang tidak ada di buku besar"),
    ("stripe", UNKNOWN): _l("Buku besar mencatat pembayaran kartu yang tidak ada di Stripe"),
    ("midtrans", MISSING): _l("Midtrans menerima uang yang tidak ada di buku besar"),
    ("midtrans", UNKNOWN): _l("Buku besar mencatat pembayaran yang tidak ada di Midtrans"),
    ("bank", MISSING): _l("Rekening platform mencatat uang yang tidak ada di buku besar"),
    ("bank", UNKNOWN): _l("Buku besar mencatat uang masuk ke rekening platform yang tidak ada di rekening koran"),
}
# what an admin does about it
TO_DO: dict[tuple[str, str], object] = {
    ("stripe", MISSING): _l(
        "Cari pembayaran ini di dasbor Stripe. Jika ada pesanannya, pemeriksaan pembayaran (tiap 15 menit) "
        "mencatatnya sebagai dibayar; jika tidak ada pesanannya, kembalikan uangnya ke pembeli dari dasbor Stripe."
    ),
    ("stripe", UNKNOWN): _l(
        "Periksa di dasbor Stripe. Jika pembayarannya memang tidak ada, batalkan pesanannya sebelum uang kelompok "
        "dicairkan (uangnya ditarik dari saldo kelompok)."
    ),
    ("midtrans", MISSING): _l(
        "Notifikasi Midtrans belum sampai. Pemeriksaan pembayaran biasanya mencatatnya dalam 15 menit; jika masih "
        "ada besok, periksa transaksinya di dasbor Midtrans."
    ),
    ("midtrans", UNKNOWN): _l(
        "Periksa transaksinya di dasbor Midtrans. Jika tidak ada, batalkan pesanannya sebelum uang kelompok dicairkan."
    ),
    ("bank", MISSING): _l(
        "Cari kode transfer di keterangannya pada halaman Transfer menunggu konfirmasi, lalu konfirmasi transfernya. "
        "Jika bukan pembayaran pesanan (biaya bank, bunga, setoran), tandai sudah dijelaskan dengan catatan."
    ),
    ("bank", UNKNOWN): _l(
        "Pastikan transfer ini benar masuk ke rekening platform (unggah rekening koran hari itu) sebelum uang "
        "kelompok dicairkan."
    ),
}
DIFFERS_WHAT = _l("Jumlahnya berbeda")
DIFFERS_TO_DO = _l(
    "Bandingkan rinciannya di dasbor penyedia atau rekening koran dengan pesanannya. Jika buku besar yang salah, "
    "catat koreksinya; jika penyedia yang salah, hubungi penyedianya."
)


def what(row: Difference) -> object:
    return DIFFERS_WHAT if row.kind == DIFFERS else WHAT.get((row.provider, row.kind), row.kind)


def to_do(row: Difference) -> object:
    return DIFFERS_TO_DO if row.kind == DIFFERS else TO_DO.get((row.provider, row.kind), "")


@dataclass
class Report:
    last_run: ReconciliationRun | None
    open: list[Difference]
    explained: list[Difference]
    check: book.CheckResult
    bank_lines: int
    last_bank_day: object


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang dapat melihat pencocokan uang."))


def report(actor: User) -> Report:
    _require_admin(actor)
    last_run = db.session.scalar(select(ReconciliationRun).order_by(ReconciliationRun.id.desc()).limit(1))
    open_rows = db.session.scalars(
        select(Difference)
        .where(Difference.status == DifferenceStatus.OPEN)
        .order_by(Difference.provider, Difference.id)
    )
    explained = db.session.scalars(
        select(Difference)
        .where(Difference.status == DifferenceStatus.EXPLAINED)
        .order_by(Difference.explained_at.desc())
        .limit(20)
    )
    lines, last_day = db.session.execute(select(func.count(BankLine.id), func.max(BankLine.booked_on))).one()
    return Report(last_run, list(open_rows), list(explained), book.check(), int(lines or 0), last_day)


def explain(actor: User, difference_id: int, note: str | None) -> Difference:
    """An admin writes why a difference is right (a bank fee, a test payment, a refund made by hand): it is
    no longer open, and the next runs leave it explained. Commits."""
    _require_admin(actor)
    row = db.session.get(Difference, difference_id)
    if row is None:
        raise NotFound(_("Selisih tidak ditemukan."))
    if row.status != DifferenceStatus.OPEN:
        raise Conflict(_("Selisih ini sudah tidak terbuka."))
    errors: dict[str, list[str]] = {}
    text = validate.text(note, errors, "note", max_len=500, min_len=3)
    if errors:
        raise ValidationFailed(_("Tulis penjelasannya."), errors)
    row.status, row.note, row.explained_by_id, row.explained_at = DifferenceStatus.EXPLAINED, text, actor.id, utcnow()
    db.session.commit()
    return row


def run_now(actor: User) -> ReconciliationRun:
    _require_admin(actor)
    from .reconcile import run_reconciliation

    return run_reconciliation()
