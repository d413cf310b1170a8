"""Barcode labels for the products that have a GTIN: an A4 sheet of 24 stickers (3 × 8, 70 × 37 mm), each
with the product's name, price, its barcode (python-barcode, drawn as SVG: no Pillow needed) and, for stock
kept in lots, the lot and its expiry. The only module that imports python-barcode."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import date

import barcode
from babel.dates import format_date
from barcode.writer import SVGWriter
from fpdf import FPDF
from sqlalchemy import select

from app.accounts.models import User
from app.core.money import format_rupiah
from app.core.text import latin1
from app.extensions import db

from .access import group_for_selling
from .models import Lot, Product

COLUMNS, ROWS = 3, 8
WIDTH, HEIGHT = 70.0, 37.125  # mm: a common A4 sheet of 24 stickers, no margins
KINDS = {13: "ean13", 12: "upca", 8: "ean8"}


@dataclass(frozen=True)
class Label:
    name: str
    price_idr: int
    gtin: str
    lot_code: str | None = None
    expires_on: date | None = None


def labels_of(actor: User, group_slug: str, copies: int = 1) -> list[Label]:
    """One label (times `copies`) for each lot with stock left of each product with a GTIN; one without a
    date for a product that keeps no lots."""
    group = group_for_selling(actor, group_slug)
    products = db.session.scalars(
        select(Product)
        .where(Product.group_id == group.id, Product.gtin.is_not(None), Product.status != "archived")
        .order_by(Product.name)
    ).all()
    lots = db.session.scalars(
        select(Lot)
        .where(Lot.product_id.in_([p.id for p in products]), Lot.quantity > 0)
        .order_by(Lot.expires_on, Lot.id)
    ).all()
    out: list[Label] = []
    for p in products:
        mine = [lot for lot in lots if lot.product_id == p.id]
        rows = [Label(p.name, p.price_idr, str(p.gtin), lot.code, lot.expires_on) for lot in mine]
        out += (rows or [Label(p.name, p.price_idr, str(p.gtin))]) * max(1, copies)
    return out


def barcode_svg(gtin: str) -> bytes:
    """The bars alone (the digits are written by the sheet, as text a scanner's user can read)."""
    code = barcode.get(KINDS[len(gtin)], gtin, writer=SVGWriter())
    buf = io.BytesIO()
    code.write(buf, options={"write_text": False, "module_height": 12.0, "quiet_zone": 2.0})
    return buf.getvalue()


def sheet_pdf(labels: list[Label], title: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_author("Pasar UPPKS")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0)
    for index, label in enumerate(labels):
        if index % (COLUMNS * ROWS) == 0:
            pdf.add_page()
        cell = index % (COLUMNS * ROWS)
        _label(pdf, label, (cell % COLUMNS) * WIDTH, (cell // COLUMNS) * HEIGHT)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())


def _label(pdf: FPDF, label: Label, x: float, y: float) -> None:
    pad = 4.0
    pdf.set_xy(x + pad, y + 3)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(WIDTH - 2 * pad, 4.5, latin1(label.name)[:40])
    pdf.set_xy(x + pad, y + 7.5)
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(WIDTH - 2 * pad, 4.5, latin1(format_rupiah(label.price_idr)))
    with warnings.catch_warnings():  # python-barcode's SVG has a size but no viewBox: fpdf2 uses the size
        warnings.simplefilter("ignore", UserWarning)
        pdf.image(io.BytesIO(barcode_svg(label.gtin)), x=x + pad, y=y + 12.5, w=WIDTH - 2 * pad, h=13)
    pdf.set_xy(x + pad, y + 25.5)
    pdf.set_font("Courier", "", 9)
    pdf.cell(WIDTH - 2 * pad, 4, label.gtin, align="C")
    if label.expires_on:
        pdf.set_xy(x + pad, y + 30)
        pdf.set_font("Helvetica", "", 8)
        when = format_date(label.expires_on, "d MMM yyyy", locale="id")
        pdf.cell(WIDTH - 2 * pad, 4, latin1(f"Lot {label.lot_code} - Kedaluwarsa {when}"))


def group_sheet(actor: User, group_slug: str, copies: int = 1) -> bytes:
    labels = labels_of(actor, group_slug, copies)
    return sheet_pdf(labels, "Label barcode")
