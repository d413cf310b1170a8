"""Consignment pages: the group's /groups/<slug>/consignment and the store's /business/consignment/<id>."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog.products import products_of_group
from app.core.errors import DomainError
from app.core.forms import attempt

from . import consignment, consignment_sales
from .consignment_sales import CSV_COLUMNS
from .views import bp


@bp.get("/groups/<slug>/consignment")
@login_required
def group_consignment(slug: str):
    group, agreements = consignment.agreements_of_group(current_user, slug)
    return render_template(
        "wholesale/consignment_group.html",
        group=group,
        agreements=agreements,
        stores=consignment.stores(),
        products=products_of_group(group),
    )


@bp.post("/groups/<slug>/consignment")
@login_required
def propose_consignment(slug: str):
    attempt(
        lambda: consignment.propose(current_user, slug, request.form),
        _("Perjanjian diusulkan. Staf toko menerimanya di halaman bisnisnya."),
    )
    return redirect(url_for("wholesale.group_consignment", slug=slug))


@bp.post("/groups/<slug>/consignment/<int:agreement_id>/place")
@login_required
def place_consignment(slug: str, agreement_id: int):
    attempt(
        lambda: consignment.place(current_user, slug, agreement_id, request.form),
        _("Barang dititipkan. Stok daring sudah dikurangi."),
    )
    return redirect(url_for("wholesale.group_consignment", slug=slug))


@bp.post("/groups/<slug>/consignment/stock/<int:stock_id>/return")
@login_required
def return_consignment(slug: str, stock_id: int):
    attempt(lambda: consignment.return_goods(current_user, slug, stock_id, request.form), _("Barang kembali dicatat."))
    return redirect(url_for("wholesale.group_consignment", slug=slug))


@bp.post("/business/consignment/<int:agreement_id>/accept")
@login_required
def accept_consignment(agreement_id: int):
    attempt(lambda: consignment.accept(current_user, agreement_id), _("Perjanjian konsinyasi diterima."))
    return redirect(url_for("wholesale.store_consignment", agreement_id=agreement_id))


@bp.get("/business/consignment/<int:agreement_id>")
@login_required
def store_consignment(agreement_id: int):
    return _store_page(agreement_id)


def _store_page(agreement_id: int, status: int = 200):
    agreement = consignment.agreement_for_store(current_user, agreement_id)
    return render_template(
        "wholesale/consignment_store.html", agreement=agreement, columns=", ".join(CSV_COLUMNS)
    ), status


@bp.post("/business/consignment/<int:agreement_id>/report")
@login_required
def report_consignment(agreement_id: int):
    """The page's form, or a CSV file when one is uploaded."""
    upload = request.files.get("file")
    try:
        if upload is not None and upload.filename:
            lines = consignment_sales.report_csv(current_user, agreement_id, upload.read(2_000_000))
        else:
            lines = consignment_sales.report_form(current_user, agreement_id, request.form)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(str(m) for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        return _store_page(agreement_id, exc.status)
    flash(_("Penjualan dicatat: %(n)s barang.", n=sum(q for _row, q in lines)), "success")
    return redirect(url_for("wholesale.store_consignment", agreement_id=agreement_id))


@bp.post("/business/consignment/<int:agreement_id>/settle")
@login_required
def settle_consignment(agreement_id: int):
    try:
        invoice = consignment_sales.settle(current_user, agreement_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(exc.detail, "error")
        return redirect(url_for("wholesale.store_consignment", agreement_id=agreement_id))
    flash(_("Tagihan penjualan konsinyasi dibuat."), "success")
    return redirect(url_for("wholesale.invoice", invoice_id=invoice.id))
