"""Complaint pages: the buyer complains from her order, the complaint's page (its messages, photos and the
step each side may take now), the admins' queue. Thin: the rules are the services'."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError
from app.core.forms import attempt
from app.core.http import send_private
from app.groups import roles

from . import complaint_photos, complaint_queues, complaint_refunds, complaints
from .complaint_models import REASONS

bp = Blueprint("complaints", __name__)


def _page(complaint_id: int):
    return redirect(url_for("complaints.page", complaint_id=complaint_id))


def _bank() -> dict:
    return {k: request.form.get(k) for k in ("bank_name", "account_number", "account_name")}


@bp.post("/orders/<int:order_id>/complain")
@login_required
def open_complaint(order_id: int):
    form = request.form
    try:
        complaint = complaints.open_complaint(
            current_user, order_id, form.get("reason"), form.get("description"), form.get("quantity") or None
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(str(m) for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        return redirect(request.referrer or url_for("orders.my_orders"))
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        attempt(lambda: complaint_photos.add_photo(current_user, complaint.id, upload.read()), _("Foto tersimpan."))
    flash(_("Komplain terkirim. Kelompok menjawab paling lambat 2 hari."), "success")
    return _page(complaint.id)


@bp.get("/complaints/<int:complaint_id>")
@login_required
def page(complaint_id: int):
    complaint, who = complaints.complaint_for(current_user, complaint_id)
    order = complaint.order
    return render_template(
        "orders/complaint.html",
        complaint=complaint,
        order=order,
        who=who,
        may_answer=who in ("group", "admin") and roles.can(current_user, order.group_id, roles.ANSWER_COMPLAINT),
        refundable=complaints.refundable(order, but=complaint.id),
        by_hand=complaints.refund_by_hand(order),
        reasons=REASONS,
        photo_limit=complaint_photos.MAX_PHOTOS,
    )


@bp.post("/complaints/<int:complaint_id>/photo")
@login_required
def add_photo(complaint_id: int):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Pilih berkas foto."), "error")
    else:
        attempt(lambda: complaint_photos.add_photo(current_user, complaint_id, upload.read()), _("Foto tersimpan."))
    return _page(complaint_id)


@bp.get("/complaints/<int:complaint_id>/photos/<int:photo_id>")
@login_required
def photo(complaint_id: int, photo_id: int):
    return send_private(complaint_photos.photo_key(current_user, complaint_id, photo_id))


def _answer_args() -> tuple:
    form = request.form
    return form.get("resolution"), form.get("amount_idr") or None, form.get("note"), form.get("return_goods")


@bp.post("/complaints/<int:complaint_id>/respond")
@login_required
def respond(complaint_id: int):
    attempt(lambda: complaints.respond(current_user, complaint_id, *_answer_args()), _("Jawaban terkirim ke pembeli."))
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/accept")
@login_required
def accept(complaint_id: int):
    attempt(lambda: complaints.accept(current_user, complaint_id, _bank()), _("Komplain selesai."))
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/escalate")
@login_required
def escalate(complaint_id: int):
    attempt(
        lambda: complaints.escalate(current_user, complaint_id, request.form.get("note")),
        _("Komplain diteruskan ke admin."),
    )
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/bank")
@login_required
def bank(complaint_id: int):
    attempt(lambda: complaints.give_bank_account(current_user, complaint_id, _bank()), _("Rekening tersimpan."))
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/decide")
@login_required
def decide(complaint_id: int):
    attempt(lambda: complaints.decide(current_user, complaint_id, *_answer_args()), _("Keputusan tersimpan."))
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/refund-paid")
@login_required
def refund_paid(complaint_id: int):
    attempt(
        lambda: complaint_refunds.paid_by_hand(current_user, complaint_id, request.form.get("reference")),
        _("Transfer pengembalian dana tercatat."),
    )
    return redirect(url_for("complaints.queue"))


@bp.post("/complaints/<int:complaint_id>/refund-retry")
@login_required
def refund_retry(complaint_id: int):
    attempt(lambda: complaint_refunds.retry(current_user, complaint_id), _("Pengembalian dana dicoba lagi."))
    return redirect(url_for("complaints.queue"))


@bp.get("/admin/complaints")
@login_required
def queue():
    if not current_user.is_admin:
        abort(404)
    return render_template(
        "orders/complaint_queue.html",
        escalated=complaint_queues.escalated(),
        by_hand=complaint_refunds.to_make_by_hand(),
    )
