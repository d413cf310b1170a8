"""Complaint pages: the buyer complains from her order, the complaint's page (its messages, photos and the
step each side may take now), the admins' queue. Thin: the rules are the services'. The buyer's pages answer
twice: signed in (/complaints/<id>), and for a guest through her checkout's link (/checkout/<key>/complaints/
<id>: the link is her credential, as for paying; it reaches only that checkout's complaints)."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError
from app.core.forms import attempt
from app.core.http import send_private
from app.extensions import limiter
from app.groups import roles

from . import complaint_photos, complaint_queues, complaint_refunds, complaints, services
from .complaint_models import REASONS

bp = Blueprint("complaints", __name__)
BY_LINK = "/checkout/<access_key>"  # the buyer's pages through her checkout's link


def _page(complaint_id: int, access_key: str | None = None):
    return redirect(url_for("complaints.page", complaint_id=complaint_id, access_key=access_key))


def _bank() -> dict:
    return {k: request.form.get(k) for k in ("bank_name", "account_number", "account_name")}


def _upload_limit() -> str:
    return current_app.config["ANONYMOUS_UPLOAD_LIMIT"]


def _guest_uploads(view):
    """A guest's photo uploads are limited as her transfer proof's are (an account's are not)."""
    return limiter.limit(_upload_limit, exempt_when=lambda: current_user.is_authenticated)(view)


def buyer_page(view):
    """A buyer's page: through a checkout's link, or signed in (else the sign-in page)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if kwargs.get("access_key") is None and not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return view(*args, **kwargs)

    return wrapper


def actor_for(access_key: str | None):
    """Who acts: the buyer holding the checkout's link (404 for a wrong or ended one), or the account."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if access_key is not None:
        return services.buyer_by_link(user, access_key)
    return user


@bp.post("/orders/<int:order_id>/complain")
@bp.post(BY_LINK + "/orders/<int:order_id>/complain")
@buyer_page
@_guest_uploads
def open_complaint(order_id: int, access_key: str | None = None):
    form, actor = request.form, actor_for(access_key)
    try:
        complaint = complaints.open_complaint(
            actor, order_id, form.get("reason"), form.get("description"), form.get("quantity") or None
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(str(m) for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        if access_key is not None:
            return redirect(url_for("orders.checkout_page", access_key=access_key) + f"#order-{order_id}")
        return redirect(request.referrer or url_for("orders.my_orders"))
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        attempt(lambda: complaint_photos.add_photo(actor, complaint.id, upload.read()), _("Foto tersimpan."))
    flash(_("Komplain terkirim. Kelompok menjawab paling lambat 2 hari."), "success")
    return _page(complaint.id, access_key)


@bp.get("/complaints/<int:complaint_id>")
@bp.get(BY_LINK + "/complaints/<int:complaint_id>")
@buyer_page
def page(complaint_id: int, access_key: str | None = None):
    complaint, who = complaints.complaint_for(actor_for(access_key), complaint_id)
    order = complaint.order
    return render_template(
        "orders/complaint.html",
        complaint=complaint,
        order=order,
        who=who,
        access_key=access_key,
        may_answer=who in ("group", "admin") and roles.can(current_user, order.group_id, roles.ANSWER_COMPLAINT),
        refundable=complaints.refundable(order, but=complaint.id),
        by_hand=complaints.refund_by_hand(order),
        reasons=REASONS,
        photo_limit=complaint_photos.MAX_PHOTOS,
    )


@bp.post("/complaints/<int:complaint_id>/photo")
@bp.post(BY_LINK + "/complaints/<int:complaint_id>/photo")
@buyer_page
@_guest_uploads
def add_photo(complaint_id: int, access_key: str | None = None):
    upload, actor = request.files.get("file"), actor_for(access_key)
    if upload is None or not upload.filename:
        flash(_("Pilih berkas foto."), "error")
    else:
        attempt(lambda: complaint_photos.add_photo(actor, complaint_id, upload.read()), _("Foto tersimpan."))
    return _page(complaint_id, access_key)


@bp.get("/complaints/<int:complaint_id>/photos/<int:photo_id>")
@bp.get(BY_LINK + "/complaints/<int:complaint_id>/photos/<int:photo_id>")
@buyer_page
def photo(complaint_id: int, photo_id: int, access_key: str | None = None):
    return send_private(complaint_photos.photo_key(actor_for(access_key), complaint_id, photo_id))


def _answer_args() -> tuple:
    form = request.form
    return form.get("resolution"), form.get("amount_idr") or None, form.get("note"), form.get("return_goods")


@bp.post("/complaints/<int:complaint_id>/respond")
@login_required
def respond(complaint_id: int):
    attempt(lambda: complaints.respond(current_user, complaint_id, *_answer_args()), _("Jawaban terkirim ke pembeli."))
    return _page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/accept")
@bp.post(BY_LINK + "/complaints/<int:complaint_id>/accept")
@buyer_page
def accept(complaint_id: int, access_key: str | None = None):
    actor = actor_for(access_key)
    attempt(lambda: complaints.accept(actor, complaint_id, _bank()), _("Komplain selesai."))
    return _page(complaint_id, access_key)


@bp.post("/complaints/<int:complaint_id>/escalate")
@bp.post(BY_LINK + "/complaints/<int:complaint_id>/escalate")
@buyer_page
def escalate(complaint_id: int, access_key: str | None = None):
    actor = actor_for(access_key)
    attempt(
        lambda: complaints.escalate(actor, complaint_id, request.form.get("note")), _("Komplain diteruskan ke admin.")
    )
    return _page(complaint_id, access_key)


@bp.post("/complaints/<int:complaint_id>/bank")
@bp.post(BY_LINK + "/complaints/<int:complaint_id>/bank")
@buyer_page
def bank(complaint_id: int, access_key: str | None = None):
    actor = actor_for(access_key)
    attempt(lambda: complaints.give_bank_account(actor, complaint_id, _bank()), _("Rekening tersimpan."))
    return _page(complaint_id, access_key)


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
