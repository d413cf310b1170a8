"""A return's page (the buyer sends the goods back, the group receives them; both see its waybill and steps)
and its label. Thin: the rules are returns.py's. The buyer's pages answer signed in and, for a guest, through
her checkout's link, as her complaint's do."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.core.forms import attempt

from . import label_pdf, return_rules, returns
from .complaint_views import BY_LINK, actor_for, bp, buyer_page


def _page(return_id: int, access_key: str | None = None):
    return redirect(url_for("complaints.return_page", return_id=return_id, access_key=access_key))


@bp.get("/returns/<int:return_id>")
@bp.get(BY_LINK + "/returns/<int:return_id>")
@buyer_page
def return_page(return_id: int, access_key: str | None = None):
    ret, who = returns.return_for(actor_for(access_key), return_id)
    waiting = ret.status == "waiting"
    return render_template(
        "orders/return.html",
        ret=ret,
        complaint=ret.complaint,
        order=ret.complaint.order,
        who=who,
        options=returns.quote(ret) if who == "buyer" and waiting else [],
        waiting=waiting,
        send_by=return_rules.send_by(ret),
        access_key=access_key,
    )


@bp.post("/returns/<int:return_id>/book")
@bp.post(BY_LINK + "/returns/<int:return_id>/book")
@buyer_page
def book_return(return_id: int, access_key: str | None = None):
    actor = actor_for(access_key)
    attempt(
        lambda: returns.book(actor, return_id, request.form.get("option")),
        _("Kurir dipesan. Cetak labelnya dan tempel di paket."),
    )
    return _page(return_id, access_key)


@bp.post("/returns/<int:return_id>/waybill")
@bp.post(BY_LINK + "/returns/<int:return_id>/waybill")
@buyer_page
def return_waybill(return_id: int, access_key: str | None = None):
    form, actor = request.form, actor_for(access_key)
    attempt(
        lambda: returns.typed(actor, return_id, form.get("courier"), form.get("waybill")), _("Nomor resi tersimpan.")
    )
    return _page(return_id, access_key)


@bp.post("/returns/<int:return_id>/received")
@login_required
def return_received(return_id: int):
    attempt(lambda: returns.received(actor_for(None), return_id), _("Barang kembali tercatat diterima."))
    return _page(return_id)


@bp.get("/returns/<int:return_id>/label.pdf")
@bp.get(BY_LINK + "/returns/<int:return_id>/label.pdf")
@buyer_page
def return_label(return_id: int, access_key: str | None = None):
    ret, _who = returns.return_for(actor_for(access_key), return_id)
    if not ret.waybill:
        return _page(return_id, access_key)
    response = make_response(label_pdf.render_return(ret))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="label-retur-{ret.complaint.order.number}.pdf"'
    return response
