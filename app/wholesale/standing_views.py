"""Standing orders' pages: the buyer sets one (/business/standing/new) and pauses, resumes or ends it from
its business page; the group confirms each proposed order, adjusted or not, from its quotes page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError
from app.core.forms import attempt
from app.core.inputs import id_value
from app.core.timefmt import long_date
from app.groups import services as groups

from . import invoices, organisations, proposals, standing

bp = Blueprint("standing_orders", __name__)


def _whole(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@bp.route("/business/standing/new", methods=["GET", "POST"])
@login_required
def new():
    org = organisations.verified_org_of(current_user)
    if org is None:
        flash(_("Pesanan rutin hanya untuk pembeli bisnis yang terverifikasi."), "error")
        return redirect(url_for("wholesale.dashboard"))
    group, products = standing.products_to_pick(request.values.get("group"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and group is not None:
        data = {
            "lines": [
                {"product_id": p.id, "quantity": _whole(request.form.get(f"qty_{p.id}"))}
                for p in products
                if (request.form.get(f"qty_{p.id}") or "").strip()
            ],
            "frequency": request.form.get("frequency"),
            "weekday": _whole(request.form.get("weekday")),
            "day_of_month": _whole(request.form.get("day_of_month")),
            "lead_days": _whole(request.form.get("lead_days")),
            "address_id": id_value(request.form.get("address_id")),
            "po_number": request.form.get("po_number"),
        }
        try:
            order = standing.create(current_user, data)
        except DomainError as exc:
            errors = exc.errors or {"form": [exc.detail]}
        else:
            flash(
                _(
                    "Pesanan rutin %(n)s disimpan. Pengiriman pertama %(d)s.",
                    n=order.number,
                    d=long_date(order.first_delivery),
                ),
                "success",
            )
            return redirect(url_for("wholesale.dashboard") + "#standing")
    return render_template(
        "wholesale/standing_new.html",
        org=org,
        group=group,
        groups=standing.groups_to_pick(org) if group is None else [],
        products=products,
        addresses=organisations.addresses_of(org),
        errors=errors,
        values=request.form,
        can_terms=invoices.can_use_terms(org),
    ), (422 if errors else 200)


@bp.post("/business/standing/<int:standing_id>/<any(pause, resume, end):move>")
@login_required
def move(standing_id: int, move: str):
    done = {
        "pause": _("Pesanan rutin dijeda."),
        "resume": _("Pesanan rutin dilanjutkan."),
        "end": _("Pesanan rutin dihentikan."),
    }
    attempt(lambda: getattr(standing, move)(current_user, standing_id), done[move])
    return redirect(url_for("wholesale.dashboard") + "#standing")


@bp.post("/groups/<slug>/proposals/<int:proposal_id>/confirm")
@login_required
def confirm(slug: str, proposal_id: int):
    group = groups.group_for_member(current_user, slug)
    found = next((p for p in proposals.proposals_for_group(group) if p.id == proposal_id), None)
    if found is None:
        abort(404)
    changes = [
        {
            "product_id": line.product_id,
            "quantity": _whole(request.form.get(f"qty_{line.id}")),
            "unit_price_idr": _whole(request.form.get(f"price_{line.id}")),
        }
        for line in found.lines
    ]
    changes = [{k: v for k, v in c.items() if v is not None} for c in changes]
    attempt(
        lambda: proposals.confirm(current_user, found.standing_order_id, proposal_id, changes),
        _("Pesanan rutin dikonfirmasi: pesanannya ada di halaman pesanan."),
    )
    return redirect(url_for("wholesale.group_quotes", slug=group.slug) + "#proposals")
