from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.forms import attempt
from app.core.inputs import offset_value
from app.orders.money import paid_orders_of_group

from . import payouts, payouts_iris, services
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
        orders=orders,
        where=services.where_money_is([o.id for o in orders]),
        offset=offset,
        limit=limit,
        more=more,
        payouts=recent,
        has_bank=payouts.has_bank_account(group),
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
