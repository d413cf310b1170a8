"""Officers' and admins' tools. Here: the queue of groups waiting for verification."""
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
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
