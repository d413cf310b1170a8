"""The group's sales book pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog import services as catalog
from app.core.errors import DomainError
from app.core.forms import apply_errors
from app.core.inputs import id_value

from . import services
from .forms import CorrectionForm, SaleForm

bp = Blueprint("sales", __name__)


@bp.route("/groups/<slug>/sales", methods=["GET", "POST"])
@login_required
def book(slug: str):
    start = services.parse_month(request.args.get("month"))
    group, month = services.month_of(current_user, slug, start)
    form = SaleForm().with_products(catalog.products_of_group(group))
    status = 200
    if request.method == "GET":
        from app.catalog.models import today_wib
        form.sold_on.data = form.sold_on.data or today_wib()
    elif form.validate_on_submit():
        try:
            services.record(current_user, slug, form.data_for_service(id_value))
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            flash(_("Penjualan dicatat."), "success")
            return redirect(url_for("sales.book", slug=slug))
    else:
        status = 422
    return render_template("sales/book.html", group=group, month=month, form=form), status


@bp.route("/sales/<int:sale_id>/correct", methods=["GET", "POST"])
@login_required
def correct(sale_id: int):
    sale, group = services.sale_for_member(current_user, sale_id)
    form = CorrectionForm().with_products(catalog.products_of_group(group))
    status = 200
    if request.method == "GET":
        form.fill(sale)
    elif form.validate_on_submit():
        try:
            services.correct(current_user, sale_id, form.data_for_service(id_value), form.reason.data)
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            flash(_("Koreksi dicatat; catatan lama tetap terlihat."), "success")
            return redirect(url_for("sales.book", slug=group.slug, month=f"{sale.sold_on:%Y-%m}"))
    else:
        status = 422
    return render_template("sales/correct.html", group=group, sale=sale, form=form), status
