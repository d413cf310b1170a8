"""What a store sold of the goods on consignment: reported per period (a form or a CSV file), then
settled: one invoiced order on the store's terms for what sold and was not invoiced yet."""

from __future__ import annotations

import csv
import io
import secrets

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.core.errors import Conflict, ValidationFailed, collect
from app.extensions import db
from app.orders import quoting
from app.orders.checkout import write_checkout

from .consignment import _changed, _require_active, agreement_for_store
from .consignment_models import ConsignedStock, ConsignmentAgreement
from .invoices import today
from .models import Invoice

CSV_COLUMNS = ("product_id", "gtin", "name", "quantity_sold")


def report_form(actor: User, agreement_id: int, form) -> list[tuple[ConsignedStock, int]]:
    """The page's form: one field `sold-<row id>` per product at the store; blank or 0 is nothing sold."""
    agreement = agreement_for_store(actor, agreement_id)
    errors: dict[str, list[str]] = {}
    lines = []
    for row in agreement.stocks:
        raw = (form.get(f"sold-{row.id}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 7:
            collect(errors, f"sold-{row.id}", _("%(name)s: harus bilangan bulat.", name=row.product.name))
        elif int(raw):
            lines.append((row, int(raw)))
    if errors:
        raise ValidationFailed(_("Periksa isian."), errors)
    return _report(agreement, lines)


def report_csv(actor: User, agreement_id: int, data: bytes) -> list[tuple[ConsignedStock, int]]:
    """A CSV file with a header; each line names the product by product_id, gtin or name (any one of them)
    and gives quantity_sold."""
    agreement = agreement_for_store(actor, agreement_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("Berkas harus CSV (UTF-8)."), {"file": [_("Berkas harus CSV (UTF-8).")]}) from None
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",")
    if not reader.fieldnames or "quantity_sold" not in [f.strip() for f in reader.fieldnames]:
        message = _("Kolom CSV: %(cols)s.", cols=", ".join(CSV_COLUMNS))
        raise ValidationFailed(message, {"file": [message]})
    errors: dict[str, list[str]] = {}
    lines = []
    for number, raw in enumerate(reader, start=2):
        record = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        row = _row_named(agreement, record)
        quantity = record.get("quantity_sold", "")
        if row is None:
            collect(errors, "file", _("Baris %(n)s: produk tidak dititipkan di toko ini.", n=number))
        elif not quantity.isdigit() or len(quantity) > 7:
            collect(errors, "file", _("Baris %(n)s: jumlah terjual harus bilangan bulat.", n=number))
        elif int(quantity):
            lines.append((row, int(quantity)))
    if errors:
        raise ValidationFailed(_("Periksa berkas CSV."), errors)
    return _report(agreement, lines)


def _row_named(agreement: ConsignmentAgreement, record: dict) -> ConsignedStock | None:
    for row in agreement.stocks:
        product = row.product
        if record.get("product_id") and record["product_id"] == str(product.id):
            return row
        if record.get("gtin") and product.gtin and record["gtin"].lstrip("0") == product.gtin.lstrip("0"):
            return row
        if (
            not record.get("product_id")
            and not record.get("gtin")
            and record.get("name", "").casefold() == (product.name.casefold())
        ):
            return row
    return None


def _report(agreement: ConsignmentAgreement, lines: list[tuple[ConsignedStock, int]]):
    """Every line or none: each reduces what is at the store, never below zero (422 naming the product)."""
    _require_active(agreement)
    if not lines:
        raise ValidationFailed(_("Isi jumlah yang terjual."), {"sold": [_("Isi jumlah yang terjual.")]})
    for row, quantity in lines:
        if not _changed(
            update(ConsignedStock)
            .where(
                ConsignedStock.id == row.id,
                ConsignedStock.placed - ConsignedStock.sold - ConsignedStock.returned >= quantity,
            )
            .values(sold=ConsignedStock.sold + quantity)
        ):
            db.session.rollback()
            db.session.refresh(row)
            message = _(
                "%(name)s: dilaporkan terjual %(sold)s, padahal di toko tinggal %(n)s.",
                name=row.product.name,
                sold=quantity,
                n=row.at_store,
            )
            raise ValidationFailed(message, {f"sold-{row.id}": [message]})
    db.session.commit()
    return lines


def settle(actor: User, agreement_id: int) -> Invoice:
    """What sold and was not invoiced yet becomes one order on the store's terms with its invoice: quantity
    × what the store pays per unit (the group's price less the commission, or the buying price). Nothing is
    drawn from the online stock: the goods are at the store already."""
    agreement = agreement_for_store(actor, agreement_id)
    _require_active(agreement)
    rows = [row for row in agreement.stocks if row.unsettled > 0]
    if not rows:
        raise Conflict(_("Belum ada penjualan yang belum ditagih."))
    group_quote = quoting.GroupQuote(group=agreement.group, shipping_method="pickup")
    for row in rows:
        group_quote.lines.append(quoting.QuoteLine(row.product, row.unsettled, row.unit_price_idr))
        if not _changed(
            update(ConsignedStock)
            .where(ConsignedStock.id == row.id, ConsignedStock.settled == row.settled)
            .values(settled=ConsignedStock.settled + row.unsettled)
        ):
            db.session.rollback()
            raise Conflict(_("Penjualan ini sedang ditagih. Muat ulang halaman."))
    agreement.last_settled_on = today()
    org = agreement.organisation
    phone = (actor.phone or "-")[:20]
    values = {"ship_name": org.name[:120], "ship_phone": phone, "ship_street": "", "ship_village": None}
    values |= {"ship_district": "", "ship_postal_code": "", "ship_regency_code": "", "ship_province_code": ""}
    quote = quoting.Quote(groups=[group_quote], errors={}, stock_errors={})
    number = _("Konsinyasi %(n)s", n=agreement.id)
    checkout = write_checkout(
        actor, "invoice", quote, values, actor.email, phone, number, secrets.token_urlsafe(24), None, items=[], org=org
    )
    return db.session.scalars(select(Invoice).where(Invoice.order_id == checkout.orders[0].id)).one()
