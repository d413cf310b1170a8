"""Officers' and admins' tools: region dashboard, verification queues with their evidence, groups
that need help, moderation; the admins' transfer and shipping pages."""

from functools import wraps

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import scope
from app.catalog import permits as rules
from app.catalog.expiring import expiring_permits
from app.catalog.models import Product
from app.catalog.products import products_of_group
from app.core.errors import DomainError
from app.core.forms import attempt
from app.core.http import back
from app.core.inputs import id_value
from app.core.timefmt import month_name
from app.extensions import db
from app.groups import services as groups
from app.groups.forms import BUSINESS_TYPE_LABELS
from app.groups.services import members
from app.orders import shipping
from app.payments.transfers import codes_of, transfer_by_code_for_admin, transfers_to_confirm
from app.wholesale.forms import VerifyOrgForm
from app.wholesale.organisations import partners_of_group, pending_orgs, verified_organisations
from app.wholesale.organisations import record_partnership as record
from app.wholesale.organisations import reject_org as reject

from . import charts, decisions, export, stats
from .need_help import need_help

bp = Blueprint("officers", __name__)

REASON_LABELS = {
    "no_sale_90_days": _l("Tidak ada penjualan 90 hari"),
    "no_photo": _l("Tidak ada foto produk"),
    "no_permit": _l("Belum ada izin"),
    "unverified_permits_only": _l("Izin belum terverifikasi"),
}


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def officer_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_admin or current_user.is_officer):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _area():
    return scope.area_for(current_user, request.args.get("province") or None, request.args.get("regency") or None)


@bp.get("/officer")
@officer_required
def dashboard():
    area = _area()
    data = stats.stats(area)
    by_regency = sorted(data["by_regency"], key=lambda r: -r["groups"])[:20]
    return render_template(
        "officers/dashboard.html",
        data=data,
        area=area,
        chart_regency=charts.bars([(r["name"], r["groups"]) for r in by_regency]),
        chart_type=charts.bars(
            [(str(BUSINESS_TYPE_LABELS.get(t, t)), v["groups"]) for t, v in data["by_business_type"].items()]
        ),
        chart_month=charts.bars([(month_name(m["month"]), m["sales_idr"]) for m in data["by_month"]]),
    )


@bp.get("/officer/export.<fmt>")
@officer_required
def export_stats(fmt: str):
    area = _area()
    data = stats.stats(area)
    rows = export.export_rows(data)
    name = f"statistik-{(area.regency or area.province or 'nasional').replace('.', '-')}"
    if fmt == "csv":
        response = make_response(export.to_csv(rows))
        response.mimetype = "text/csv"
    elif fmt == "xlsx":
        response = make_response(export.to_xlsx(rows, f"Pasar UPPKS — {area.name}", data["by_month"]))
        response.mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.get("/officer/queue")
@officer_required
def queue():
    price_flags, offline_entries = decisions.review_queue(current_user)
    return render_template(
        "officers/queue.html",
        groups=decisions.group_queue(current_user),
        permits=decisions.permit_queue(current_user),
        orgs=pending_orgs(current_user),
        expiring=expiring_permits(current_user),
        org_form=VerifyOrgForm(),
        price_flags=price_flags,
        offline_entries=offline_entries,
    )


@bp.get("/officer/help")
@officer_required
def help_needed():
    area = _area()
    return render_template("officers/help.html", rows=need_help(area), area=area, labels=REASON_LABELS)


@bp.get("/officer/groups/<slug>")
@officer_required
def group(slug: str):
    g = groups.group_in_scope(current_user, slug)

    return render_template(
        "officers/group.html",
        group=g,
        products=products_of_group(g, include_archived=True),
        members=members(g),
        decisions=scope.decisions_about("group", g.id),
        partners=partners_of_group(g),
        organisations=verified_organisations(),
    )


@bp.post("/officer/groups/<slug>/decide")
@officer_required
def decide_group(slug: str):
    attempt(
        lambda: groups.decide_group(current_user, slug, request.form.get("decision", ""), request.form.get("reason")),
        _("Keputusan tersimpan."),
    )
    return back(url_for("officers.queue"))


@bp.post("/officer/groups/<slug>/partners")
@officer_required
def record_partnership(slug: str):
    org_id = id_value(request.form.get("organisation_id")) or 0
    attempt(lambda: record(current_user, slug, org_id, request.form.get("note")), _("Kemitraan tercatat."))
    return redirect(url_for("officers.group", slug=slug))


@bp.get("/officer/permits/<int:permit_id>")
@officer_required
def permit(permit_id: int):
    p = decisions.permit_in_scope(current_user, permit_id)
    product = db.session.get(Product, p.product_id)
    return render_template(
        "officers/permit.html",
        permit=p,
        product=product,
        format_ok=rules.normalise(p.type, p.number) == p.number,
        decisions=scope.decisions_about("permit", p.id),
        next_permit=decisions.next_permit(current_user, p.id),
    )


@bp.post("/officer/permits/<int:permit_id>/decide")
@officer_required
def decide_permit(permit_id: int):
    attempt(
        lambda: decisions.decide_permit(
            current_user, permit_id, request.form.get("decision", ""), request.form.get("reason")
        ),
        _("Keputusan tersimpan."),
    )
    return redirect(url_for("officers.permit", permit_id=permit_id))


@bp.post("/officer/prices/<int:flag_id>/decide")
@officer_required
def decide_price(flag_id: int):
    attempt(
        lambda: decisions.decide_price(
            current_user, flag_id, request.form.get("decision", ""), request.form.get("reason")
        ),
        _("Keputusan tersimpan."),
    )
    return redirect(url_for("officers.queue") + "#figures")


@bp.post("/officer/offline-sales/<int:sale_id>/decide")
@officer_required
def decide_offline_sale(sale_id: int):
    attempt(
        lambda: decisions.decide_offline_sale(
            current_user, sale_id, request.form.get("decision", ""), request.form.get("reason")
        ),
        _("Keputusan tersimpan."),
    )
    return redirect(url_for("officers.queue") + "#figures")


@bp.post("/officer/products/<int:product_id>/moderate")
@officer_required
def moderate(product_id: int):
    hide = request.form.get("hide") == "1"
    attempt(
        lambda: decisions.moderate_product(current_user, product_id, hide, request.form.get("reason")),
        _("Produk disembunyikan.") if hide else _("Produk ditampilkan lagi."),
    )
    return back(url_for("officers.queue"))


@bp.post("/officer/organisations/<int:org_id>/reject")
@officer_required
def reject_org(org_id: int):
    attempt(lambda: reject(current_user, org_id, request.form.get("reason", "")), _("Keputusan tersimpan."))
    return redirect(url_for("officers.queue"))


# ------------------------------------------------------------------ admins


@bp.get("/admin/groups")
@officer_required
def group_queue():
    return redirect(url_for("officers.queue"))


@bp.post("/admin/groups/<slug>/verify")
@officer_required
def verify_group(slug: str):
    group = groups.decide_group(current_user, slug, "verified")
    flash(_("Kelompok %(name)s terverifikasi.", name=group.name), "success")
    return redirect(url_for("officers.queue"))


@bp.get("/admin/transfers")
@admin_required
def transfers():
    typed = (request.args.get("code") or "").strip()
    found = transfer_by_code_for_admin(current_user, typed) if typed else None
    checkouts = transfers_to_confirm(current_user)
    return render_template(
        "officers/transfers.html",
        checkouts=checkouts,
        codes=codes_of(checkouts + ([found] if found else [])),
        typed=typed,
        found=found,
    )


@bp.route("/admin/shipping", methods=["GET", "POST"])
@admin_required
def shipping_rates():
    if request.method == "POST":
        try:
            shipping.update_rate(
                current_user,
                request.form.get("zone", ""),
                int(request.form.get("first_kg_idr", "")),
                int(request.form.get("next_kg_idr", "")),
            )
        except (ValueError, DomainError):
            flash(_("Tarif harus angka 0 sampai 10.000.000."), "error")
        else:
            flash(_("Tarif disimpan."), "success")
        return redirect(url_for("officers.shipping_rates"))
    return render_template("officers/shipping.html", rates=shipping.rates(), labels=shipping.ZONE_LABELS)
