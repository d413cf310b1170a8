"""A return's page (the buyer sends the goods back, the group receives them; both see its waybill and steps)
and its label. Thin: the rules are returns.py's."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.forms import attempt

from . import label_pdf, returns
from .complaint_views import bp


def _page(return_id: int):
    return redirect(url_for("complaints.return_page", return_id=return_id))


@bp.get("/returns/<int:return_id>")
@login_required
def return_page(return_id: int):
    ret, who = returns.return_for(current_user, return_id)
    waiting = ret.status == "waiting"
    return render_template(
        "orders/return.html",
        ret=ret,
        complaint=ret.complaint,
        order=ret.complaint.order,
        who=who,
        options=returns.quote(ret) if who == "buyer" and waiting else [],
        waiting=waiting,
    )


@bp.post("/returns/<int:return_id>/book")
@login_required
def book_return(return_id: int):
    attempt(
        lambda: returns.book(current_user, return_id, request.form.get("option")),
        _("Kurir dipesan. Cetak labelnya dan tempel di paket."),
    )
    return _page(return_id)


@bp.post("/returns/<int:return_id>/waybill")
@login_required
def return_waybill(return_id: int):
    form = request.form
    attempt(
        lambda: returns.typed(current_user, return_id, form.get("courier"), form.get("waybill")),
        _("Nomor resi tersimpan."),
    )
    return _page(return_id)


@bp.post("/returns/<int:return_id>/received")
@login_required
def return_received(return_id: int):
    attempt(lambda: returns.received(current_user, return_id), _("Barang kembali tercatat diterima."))
    return _page(return_id)


@bp.get("/returns/<int:return_id>/label.pdf")
@login_required
def return_label(return_id: int):
    ret, _who = returns.return_for(current_user, return_id)
    if not ret.waybill:
        return _page(return_id)
    response = make_response(label_pdf.render_return(ret))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="label-retur-{ret.complaint.order.number}.pdf"'
    return response
