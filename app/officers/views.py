"""Officers' and admins' tools. Here: the queue of groups waiting for verification."""
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.groups import services as groups

bp = Blueprint("officers", __name__, url_prefix="/admin")


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/groups")
@admin_required
def group_queue():
    return render_template("officers/groups.html", groups=groups.pending_groups())


@bp.post("/groups/<slug>/verify")
@admin_required
def verify_group(slug: str):
    group = groups.verify_group(current_user, slug)
    flash(_("Kelompok %(name)s terverifikasi.", name=group.name), "success")
    return redirect(url_for("officers.group_queue"))


@bp.get("/transfers")
@admin_required
def transfers():
    from app.payments.services import transfers_to_confirm

    return render_template("officers/transfers.html", checkouts=transfers_to_confirm(current_user))


@bp.route("/shipping", methods=["GET", "POST"])
@admin_required
def shipping_rates():
    from app.core.errors import DomainError
    from app.orders import shipping

    if request.method == "POST":
        try:
            shipping.update_rate(current_user, request.form.get("zone", ""), int(request.form.get("first_kg_idr", "")),
                                 int(request.form.get("next_kg_idr", "")))
        except (ValueError, DomainError):
            flash(_("Tarif harus angka 0 sampai 10.000.000."), "error")
        else:
            flash(_("Tarif disimpan."), "success")
        return redirect(url_for("officers.shipping_rates"))
    return render_template("officers/shipping.html", rates=shipping.rates(), labels=shipping.ZONE_LABELS)
