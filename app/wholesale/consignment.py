"""Consignment (konsinyasi): a group places goods with a store under an agreement; the goods leave the
online stock when placed and come back to it when returned (unless near expiry). What the store sells is
reported and invoiced in app/wholesale/consignment_sales.py."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.catalog.models import Product
from app.core import validate
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for
from app.orders.stock import take_stock

from .consignment_models import ConsignedStock, ConsignmentAgreement
from .models import Organisation
from .organisations import org_of


def _changed(statement) -> bool:
    """Run a conditional UPDATE: True when it changed the row."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return cast(Any, result).rowcount == 1


# ------------------------------------------------------------------ agreements


def propose(actor: User, slug: str, data: dict) -> ConsignmentAgreement:
    """The group's chair or treasurer proposes the store's terms; the store's staff accept them."""
    group = group_for(actor, slug, roles.CONSIGN)
    errors: dict[str, list[str]] = {}
    org_id = validate.integer(data.get("organisation_id"), errors, "organisation_id", low=1, high=2**31 - 1)
    commission = validate.integer(
        data.get("commission_percent"), errors, "commission_percent", low=0, high=99, required=False
    )
    days = validate.integer(data.get("settlement_days") or 30, errors, "settlement_days", low=1, high=180)
    near = validate.integer(
        data.get("return_near_expiry_days") or 30, errors, "return_near_expiry_days", low=0, high=365
    )
    if errors:
        raise ValidationFailed(_("Periksa isian."), errors)
    org = db.session.get(Organisation, org_id)
    if org is None or not org.is_verified:
        raise ValidationFailed(
            _("Pilih toko yang terverifikasi."), {"organisation_id": [_("Pilih toko yang terverifikasi.")]}
        )
    agreement = ConsignmentAgreement(
        group_id=group.id,
        organisation_id=org.id,
        commission_percent=commission,
        settlement_days=days,
        return_near_expiry_days=near,
        status="proposed",
        proposed_by_id=actor.id,
    )
    db.session.add(agreement)
    db.session.commit()
    return agreement


def agreement_for_store(actor: User, agreement_id: int) -> ConsignmentAgreement:
    """The agreement, for the staff of its store; 404 for anyone else."""
    agreement = db.session.get(ConsignmentAgreement, agreement_id)
    org = org_of(actor)
    if agreement is None or org is None or org.id != agreement.organisation_id:
        raise NotFound(_("Perjanjian konsinyasi tidak ditemukan."))
    return agreement


def _agreement_of_group(actor: User, slug: str, agreement_id: int) -> tuple[Group, ConsignmentAgreement]:
    group = group_for(actor, slug, roles.CONSIGN)
    agreement = db.session.get(ConsignmentAgreement, agreement_id)
    if agreement is None or agreement.group_id != group.id:
        raise NotFound(_("Perjanjian konsinyasi tidak ditemukan."))
    return group, agreement


def accept(actor: User, agreement_id: int) -> ConsignmentAgreement:
    agreement = agreement_for_store(actor, agreement_id)
    if agreement.status != "proposed":
        raise Conflict(_("Perjanjian ini sudah diterima atau diakhiri."))
    agreement.status, agreement.accepted_by_id, agreement.accepted_at = "active", actor.id, utcnow()
    db.session.commit()
    return agreement


def _require_active(agreement: ConsignmentAgreement) -> None:
    if agreement.status != "active":
        raise Conflict(_("Perjanjian konsinyasi ini belum diterima toko atau sudah berakhir."))


# ------------------------------------------------------------------ goods placed and returned


def place(actor: User, slug: str, agreement_id: int, data: dict) -> ConsignedStock:
    """N packs go to the store: the online stock goes down by N (never below zero), the store's up by N.
    What the store pays per unit is set at the first placement of the product (the group's price less the
    commission, or the buying price given)."""
    group, agreement = _agreement_of_group(actor, slug, agreement_id)
    _require_active(agreement)
    errors: dict[str, list[str]] = {}
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=100000)
    price = validate.integer(
        data.get("buying_price_idr"),
        errors,
        "buying_price_idr",
        low=1,
        high=10**9,
        required=agreement.commission_percent is None,
    )
    product_id = validate.integer(data.get("product_id"), errors, "product_id", low=1, high=2**31 - 1)
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or product.group_id != group.id:
        errors.setdefault("product_id", [_("Pilih produk kelompok ini.")])
    if errors or product is None or quantity is None:
        raise ValidationFailed(_("Periksa isian."), errors)
    if take_stock([(product.id, quantity)]):
        db.session.rollback()
        db.session.refresh(product)
        raise Conflict(_("%(name)s: stok tinggal %(n)s.", name=product.name, n=product.stock))
    row = db.session.scalar(
        select(ConsignedStock).where(
            ConsignedStock.agreement_id == agreement.id, ConsignedStock.product_id == product.id
        )
    )
    unit_price = price or net_price(product.price_idr, agreement.commission_percent or 0)
    if row is None:
        row = ConsignedStock(agreement_id=agreement.id, product_id=product.id, unit_price_idr=unit_price)
        row.placed, row.sold, row.settled, row.returned = quantity, 0, 0, 0
        db.session.add(row)
    else:  # the price per unit stays the one of the first placement: what sold is billed as agreed
        row.placed = ConsignedStock.placed + quantity
    db.session.commit()
    return row


def net_price(price_idr: int, commission_percent: int) -> int:
    """What the store pays per unit sold: the group's price less the store's commission (whole rupiah,
    rounded down)."""
    return price_idr * (100 - commission_percent) // 100


def return_goods(actor: User, slug: str, stock_id: int, data: dict) -> ConsignedStock:
    """Goods come back from the store: its quantity goes down; unless near expiry, the online stock up."""
    group = group_for(actor, slug, roles.CONSIGN)
    row = db.session.get(ConsignedStock, stock_id)
    if row is None or row.agreement.group_id != group.id:
        raise NotFound(_("Barang titipan tidak ditemukan."))
    errors: dict[str, list[str]] = {}
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=100000)
    if errors or quantity is None:
        raise ValidationFailed(_("Periksa isian."), errors)
    taken_back = _changed(
        update(ConsignedStock)
        .where(
            ConsignedStock.id == row.id,
            ConsignedStock.placed - ConsignedStock.sold - ConsignedStock.returned >= quantity,
        )
        .values(returned=ConsignedStock.returned + quantity)
    )
    if not taken_back:
        db.session.rollback()
        db.session.refresh(row)
        message = _("%(name)s: di toko tinggal %(n)s.", name=row.product.name, n=row.at_store)
        raise ValidationFailed(message, {"quantity": [message]})
    if not data.get("near_expiry"):
        _changed(update(Product).where(Product.id == row.product_id).values(stock=Product.stock + quantity))
    db.session.commit()
    db.session.refresh(row)
    return row


# ------------------------------------------------------------------ what is where


def agreements_of_group(actor: User, slug: str) -> tuple[Group, list[ConsignmentAgreement]]:
    group = group_for(actor, slug, roles.CONSIGN)
    rows = db.session.scalars(
        select(ConsignmentAgreement).where(ConsignmentAgreement.group_id == group.id).order_by(ConsignmentAgreement.id)
    )
    return group, list(rows)


def agreements_of_org(org: Organisation | None) -> list[ConsignmentAgreement]:
    if org is None:
        return []
    return list(
        db.session.scalars(
            select(ConsignmentAgreement)
            .where(ConsignmentAgreement.organisation_id == org.id, ConsignmentAgreement.status != "ended")
            .order_by(ConsignmentAgreement.id)
        )
    )


def stores() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.status == "verified").order_by(Organisation.name).limit(500)
        )
    )
