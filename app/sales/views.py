"""The group's home, its sales book and statements pages."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog.products import products_of_group
from app.core.errors import DomainError
from app.core.forms import apply_errors, attempt
from app.core.inputs import id_value
from app.core.links import external_url
from app.core.timefmt import today_wib
from app.events.taking_part import sale_events

from . import home, services
from . import statements as statement_service
from .forms import CorrectionForm, SaleForm
from .pdf import render

bp = Blueprint("sales", __name__)


@bp.get("/groups/<slug>")
@login_required
def group_home(slug: str):
    """The group's home: what needs doing now, then the way to everything else."""
    page = home.group_home(current_user, slug)
    return render_template("groups/home.html", home=page, group=page.group)


@bp.route("/groups/<slug>/sales", methods=["GET", "POST"])
@login_required
def book(slug: str):
    start = services.parse_month(request.args.get("month"))
    group, month = services.month_of(current_user, slug, start)
    form = SaleForm().with_products(products_of_group(group), sale_events(group))
    if request.method == "GET" and request.args.get("event"):
        form.event_id.data = request.args.get("event")
    status = 200
    if request.method == "GET":
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
    form = CorrectionForm().with_products(products_of_group(group), sale_events(group))
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


# ------------------------------------------------------------------ sales statements for lenders


def _verify_url(code: str) -> str:
    return external_url("sales.verify", code=code)


@bp.route("/groups/<slug>/statements", methods=["GET", "POST"])
@login_required
def statements(slug: str):
    if request.method == "POST":
        months = request.form.get("months", "")
        try:
            row = statement_service.issue(
                current_user, slug, int(months) if months.isdigit() and len(months) < 3 else 0
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            flash(exc.detail, "error")
        else:
            flash(
                _(
                    "Rekap %(c)s diterbitkan. Bagikan PDF-nya atau tautan pemeriksaannya kepada pemberi pinjaman.",
                    c=row.code,
                ),
                "success",
            )
        return redirect(url_for("sales.statements", slug=slug))
    group, rows, (held_flags, held_entries) = statement_service.statements_of(current_user, slug)
    return render_template(
        "sales/statements.html",
        group=group,
        rows=rows,
        state_of=statement_service.state_of,
        verify_url=_verify_url,
        periods=statement_service.periods(),
        so_far=statement_service.this_month_so_far(group),
        held_flags=held_flags,
        held_entries=held_entries,
    )


@bp.get("/groups/<slug>/statements/<code>.pdf")
@login_required
def statement_pdf(slug: str, code: str):
    row = statement_service.statement_for_member(current_user, slug, code)
    response = make_response(render(row, _verify_url(row.code)))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="rekap-{row.code}.pdf"'
    return response


@bp.post("/groups/<slug>/statements/<code>/revoke")
@login_required
def revoke_statement(slug: str, code: str):
    attempt(
        lambda: statement_service.revoke(current_user, slug, code),
        _("Rekap dicabut; halaman pemeriksaannya kini menyatakan dicabut."),
    )
    return redirect(url_for("sales.statements", slug=slug))


@bp.get("/s/<code>")
def verify(code: str):
    """The page a lender opens (from the QR code): the figures as issued, and whether they still stand."""
    row, state = statement_service.verify(code)
    response = make_response(render_template("sales/verify.html", row=row, s=row.snapshot, state=state))
    response.headers["Cache-Control"] = "no-store"  # a revocation shows at once
    response.headers["X-Robots-Tag"] = "noindex"
    return response
