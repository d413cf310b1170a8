"""Export pages: the group's export details, the English product page with its quote form, the USD rate."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError, Forbidden
from app.core.forms import apply_errors, attempt
from app.wholesale import organisations, quotes

from . import services
from .forms import ExportListingForm, ExportQuoteForm

bp = Blueprint("export", __name__)


@bp.route("/products/<int:product_id>/export", methods=["GET", "POST"])
@login_required
def listing(product_id: int):
    product, row = services.listing_for_member(current_user, product_id)
    form = ExportListingForm()
    status = 200
    if request.method == "GET":
        form.fill(product, row)
    elif form.validate_on_submit():
        try:
            product, row = services.save_listing(current_user, product_id, form.data_for_service())
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            flash(_("Produk ditandai siap ekspor.") if product.export_ready else _("Data ekspor tersimpan."), "success")
            return redirect(url_for("export.listing", product_id=product_id))
    else:
        status = 422
    return render_template(
        "export/listing.html",
        product=product,
        listing=row,
        form=form,
        missing=services.missing_for_export(product, row),
    ), status


def _english_page(product_id: int, form: ExportQuoteForm, status: int = 200):
    product, row = services.export_product(product_id)
    rate = services.current_rate()
    org = organisations.verified_org_of(current_user) if current_user.is_authenticated else None
    with force_locale("en"):  # the page importers read, whatever language the visitor browses in
        return render_template(
            "export/product.html",
            product=product,
            listing=row,
            rate=rate,
            form=form,
            org=org,
            usd=services.usd,
            country_name=services.country_name,
            unit=services.unit_in_english(product.unit),
            units=services.unit_in_english(product.unit, row.min_export_qty or 0),
        ), status


@bp.get("/export/p/<int:product_id>")
def product(product_id: int):
    form = ExportQuoteForm().with_countries(services.countries())
    _p, row = services.export_product(product_id)
    form.quantity.data = form.quantity.data or row.min_export_qty
    return _english_page(product_id, form)


@bp.post("/export/p/<int:product_id>/quote")
@login_required
def request_quote(product_id: int):
    services.export_product(product_id)  # 404 unless export-ready
    form = ExportQuoteForm().with_countries(services.countries())
    if form.validate_on_submit():
        try:
            with force_locale("en"):  # its messages, like the page, in English
                quote = quotes.create_quote(current_user, form.data_for_service(product_id))
        except Forbidden as exc:
            form.form_errors.append(exc.detail)
            return _english_page(product_id, form, 403)
        except DomainError as exc:
            apply_errors(form, exc)
            return _english_page(product_id, form, exc.status)
        with force_locale("en"):
            flash(_("Permintaan penawaran ekspor %(n)s dikirim ke kelompok.", n=quote.number), "success")
        return redirect(url_for("wholesale.quote", quote_id=quote.id))
    return _english_page(product_id, form, 422)


@bp.route("/admin/usd-rate", methods=["GET", "POST"])
@login_required
def usd_rate():
    if not current_user.is_admin:
        raise Forbidden(_("Hanya admin yang dapat mengubah kurs."))
    if request.method == "POST":
        form = request.form
        if attempt(
            lambda: services.set_rate(
                current_user, form.get("idr_per_usd", "").replace(".", ""), form.get("rate_date"), form.get("source")
            ),
            _("Kurs tersimpan; harga ekspor indikatif kini memakainya."),
        ):
            return redirect(url_for("export.usd_rate"))
    return render_template("export/rate.html", rate=services.current_rate())
