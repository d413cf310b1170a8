from flask import Blueprint, Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ValidationFailed
from app.core.forms import attempt
from app.core.inputs import offset_value
from app.officers.views import admin_required
from app.orders.money import order_numbers, paid_orders_of_group

from . import auto_payouts, bank, payouts, payouts_iris, report, services, statement
from .bank_csv import bank_transfer_csv

bp = Blueprint("ledger", __name__)


@bp.get("/groups/<slug>/money")
@login_required
def money(slug: str):
    group = services.group_for_money(current_user, slug)
    offset = offset_value(request.args.get("offset"))
    limit = current_app.config["PAGE_SIZE"]
    orders, more = paid_orders_of_group(group.id, offset, limit)
    _group, recent, _more = payouts.payouts_of_group(current_user, slug, 0, limit)
    return render_template(
        "ledger/money.html",
        group=group,
        balance=services.balance_of(group),
        charges=services.charges_of(group, limit),
        orders=orders,
        where=services.where_money_is([o.id for o in orders]),
        offset=offset,
        limit=limit,
        more=more,
        statement_months=statement.months_offered(),
        payouts=recent,
        has_bank=payouts.has_bank_account(group),
        weekly=auto_payouts.is_weekly(group.id),
        payout_min=current_app.config["PAYOUT_MIN_IDR"],
    )


@bp.post("/groups/<slug>/payouts")
@login_required
def ask_payout(slug: str):
    attempt(
        lambda: payouts.request_payout(current_user, slug, request.form.get("amount_idr", "")),
        _("Pencairan dana diminta. Admin memeriksanya lalu mengirim ke rekening kelompok."),
    )
    return redirect(url_for("ledger.money", slug=slug) + "#payouts")


@bp.post("/groups/<slug>/payouts/weekly")
@login_required
def weekly_payout(slug: str):
    on = request.form.get("weekly") == "1"
    attempt(
        lambda: auto_payouts.set_weekly(current_user, slug, on),
        _("Dana dicairkan otomatis tiap minggu.") if on else _("Pencairan otomatis dihentikan."),
    )
    return redirect(url_for("ledger.money", slug=slug) + "#payout")


# ------------------------------------------------------------------ the admins' payouts queue


@bp.get("/admin/payouts")
@login_required
def payout_queue():
    status = request.args.get("status") or None
    offset = offset_value(request.args.get("offset"))
    limit = current_app.config["PAGE_SIZE"]
    rows, more = payouts.queue(current_user, status, offset, limit)
    return render_template(
        "ledger/admin_payouts.html",
        payouts=rows,
        first={p.id: payouts.first_to_account(p) for p in rows},
        status=status,
        statuses=list(payouts.PayoutStatus),
        by_iris=payouts_iris.sends_payouts(),
        otp_required=current_app.config.get("IRIS_OTP_REQUIRED"),
        offset=offset,
        limit=limit,
        more=more,
    )


def _back():
    return redirect(url_for("ledger.payout_queue", status=request.form.get("back") or None))


@bp.post("/admin/payouts/<int:payout_id>/approve")
@login_required
def approve_payout(payout_id: int):
    attempt(
        lambda: payouts_iris.approve(current_user, payout_id, request.form.get("otp") or None),
        _("Pencairan #%(id)s disetujui.", id=payout_id),
    )
    return _back()


@bp.post("/admin/payouts/<int:payout_id>/sent")
@login_required
def payout_sent(payout_id: int):
    attempt(
        lambda: payouts.record_sent(current_user, payout_id, request.form.get("reference", "")),
        _("Pencairan #%(id)s tercatat terkirim.", id=payout_id),
    )
    return _back()


@bp.post("/admin/payouts/<int:payout_id>/failed")
@login_required
def payout_failed(payout_id: int):
    attempt(
        lambda: payouts.mark_failed(current_user, payout_id, request.form.get("reason", "")),
        _("Pencairan #%(id)s ditandai gagal; dananya kembali ke kelompok.", id=payout_id),
    )
    return _back()


@bp.get("/admin/payouts.csv")
@login_required
def payouts_csv():
    return Response(
        bank_transfer_csv(payouts.bank_transfer_rows(current_user)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=pencairan-disetujui.csv"},
    )


@bp.get("/groups/<slug>/money/statements/<month>.<fmt>")
@login_required
def month_statement(slug: str, month: str, fmt: str):
    """The group's monthly statement of its money, as CSV or PDF (chair and treasurer)."""
    group = services.group_for_money(current_user, slug)
    if fmt not in ("csv", "pdf"):
        return make_response("", 404)
    built = statement.build(group, statement.month_of(month))
    numbers = order_numbers([line.order_id for line in built.lines + built.direct if line.order_id])
    for line in built.lines + built.direct:
        line.number = numbers.get(line.order_id or 0, "")
    name = f"uang-{group.slug}-{built.month:%Y-%m}.{fmt}"
    if fmt == "csv":
        response = make_response(statement.as_csv(built))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = make_response(statement.as_pdf(built))
        response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ the admin's reconciliation report


@bp.get("/admin/ledger")
@admin_required
def admin_report():
    data = report.report(current_user)
    return render_template("ledger/admin.html", report=data, what=report.what, to_do=report.to_do)


@bp.post("/admin/ledger/run")
@admin_required
def admin_run():
    attempt(lambda: report.run_now(current_user), _("Pencocokan selesai."))
    return redirect(url_for("ledger.admin_report"))


@bp.post("/admin/ledger/differences/<int:difference_id>/explain")
@admin_required
def admin_explain(difference_id: int):
    attempt(
        lambda: report.explain(current_user, difference_id, request.form.get("note")),
        _("Selisih ditandai sudah dijelaskan."),
    )
    return redirect(url_for("ledger.admin_report"))


@bp.post("/admin/ledger/statement")
@admin_required
def admin_upload():
    upload = request.files.get("statement")
    try:
        if upload is None or not upload.filename:
            message = _("Pilih berkas rekening koran (CSV).")
            raise ValidationFailed(message, {"statement": [message]})
        result = bank.upload(current_user, upload.read(2_000_000))
    except ValidationFailed as exc:
        flash(" ".join(str(m) for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        return redirect(url_for("ledger.admin_report"))
    flash(
        _(
            "Rekening koran diunggah: %(n)s baris baru, %(m)s cocok, %(d)s selisih.",
            n=result["added"],
            m=result.get("matched", 0),
            d=result.get("differences", 0),
        ),
        "success",
    )
    return redirect(url_for("ledger.admin_report"))
