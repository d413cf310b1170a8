"""Event pages: the public list, calendar feed and event page; the province's page; the officers'
publishing and deciding; the groups' applications; marking a reservation paid at the stand."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.scope import scope_of
from app.catalog.browse import Filters, browse
from app.core import regions
from app.core.errors import DomainError
from app.core.forms import apply_errors, attempt
from app.core.inputs import id_value
from app.core.links import external_url
from app.core.timefmt import today_wib
from app.groups.services import groups_of

from . import figures, ical, public, publishing, stand, taking_part
from .forms import EventForm

bp = Blueprint("events", __name__)


# ------------------------------------------------------------------ public


@bp.get("/acara")
def index():
    province = request.args.get("province") or None
    if province and regions.province(province) is None:
        province = None
    return render_template(
        "events/index.html", events=public.upcoming(province, limit=100), province=province, when=public.when
    )


@bp.get("/acara.ics")
def calendar():
    province = request.args.get("province") or None
    if province and regions.province(province) is None:
        abort(404)
    body = ical.calendar(public.feed(province), lambda e: external_url("events.show", slug=e.slug))
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = 'inline; filename="acara-pasar-uppks.ics"'
    response.headers["Cache-Control"] = "public, max-age=900"
    return response


@bp.get("/acara/<slug>")
def show(slug: str):
    event = public.public_event(slug)
    mine = []
    if current_user.is_authenticated:
        mine = [g for g in groups_of(current_user) if taking_part.may_join(event, g)]
    officer = False
    if current_user.is_authenticated and (current_user.is_officer or current_user.is_admin):
        officer = scope_of(current_user).covers(event.province_code, event.regency_code)
    return render_template(
        "events/show.html",
        event=event,
        stands=public.stands(event),
        when=public.when,
        over=public.is_over(event),
        my_groups=mine,
        officer=officer,
    )


@bp.get("/provinsi/<code>")
def province(code: str):
    """A province's own home page: its events first, then its newest products."""
    prov = regions.province(code)
    if prov is None:
        abort(404)
    newest = browse(Filters(province=code, sort="newest"), limit=12, cards=True)
    return render_template(
        "events/province.html", prov=prov, events=public.upcoming(code, limit=10), page=newest, when=public.when
    )


# ------------------------------------------------------------------ groups


@bp.get("/groups/<slug>/events")
@login_required
def of_group(slug: str):
    group, lists = taking_part.events_of_group(current_user, slug)

    return render_template("events/group.html", group=group, lists=lists, when=public.when, today=today_wib())


@bp.post("/acara/<slug>/apply")
@login_required
def apply(slug: str):
    group_slug = request.form.get("group", "")
    attempt(
        lambda: taking_part.apply(current_user, slug, group_slug, request.form.get("note")),
        _("Pendaftaran terkirim; petugas akan memutuskan."),
    )
    return redirect(
        request.form.get("back") == "group"
        and url_for("events.of_group", slug=group_slug)
        or url_for("events.show", slug=slug)
    )


@bp.post("/acara/<slug>/withdraw")
@login_required
def withdraw(slug: str):
    group_slug = request.form.get("group", "")
    attempt(lambda: taking_part.withdraw(current_user, slug, group_slug), _("Kelompok mundur dari acara ini."))
    return redirect(url_for("events.of_group", slug=group_slug))


@bp.post("/checkouts/<int:checkout_id>/paid-at-stand")
@login_required
def paid_at_stand(checkout_id: int):
    checkout = None

    def mark():
        nonlocal checkout
        checkout = stand.paid_at_stand(current_user, checkout_id)

    attempt(mark, _("Ditandai lunas di stan."))
    slug = checkout.orders[0].group.slug if checkout is not None else request.form.get("group", "")
    return redirect(url_for("orders.group_orders", slug=slug) if slug else url_for("catalog.home"))


# ------------------------------------------------------------------ officers


def _form_page(form: EventForm, event=None):
    scope = scope_of(current_user)
    form.for_scope(scope.province, scope.regency)
    status = 200
    if request.method == "GET" and event is not None:
        form.fill(event)
    elif request.method == "POST":
        if form.validate_on_submit():
            try:
                if event is None:
                    event = publishing.publish(current_user, form.data_for_service())
                else:
                    event = publishing.update(current_user, event.slug, form.data_for_service())
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                apply_errors(form, exc)
                status = exc.status
            else:
                return redirect(url_for("events.manage", slug=event.slug))
        else:
            status = 422
    return render_template("events/form.html", form=form, event=event), status


@bp.get("/officer/events")
@login_required
def officer_index():
    return render_template(
        "events/officer_index.html",
        events=publishing.events_for_officer(current_user),
        when=public.when,
        over=public.is_over,
    )


@bp.route("/officer/events/new", methods=["GET", "POST"])
@login_required
def new():
    return _form_page(EventForm())


@bp.route("/officer/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    return _form_page(EventForm(), publishing.event_for_officer(current_user, slug))


@bp.get("/officer/events/<slug>")
@login_required
def manage(slug: str):
    event = publishing.event_for_officer(current_user, slug)
    return render_template(
        "events/manage.html",
        event=event,
        figures=figures.figures(event),
        when=public.when,
        over=public.is_over(event),
        applications=taking_part.applications(event),
    )


@bp.post("/officer/events/<slug>/decide")
@login_required
def decide(slug: str):
    group_id = id_value(request.form.get("group_id")) or 0
    decision = request.form.get("decision", "")
    attempt(
        lambda: taking_part.decide(current_user, slug, group_id, decision, request.form.get("reason")),
        _("Keputusan tersimpan."),
    )
    return redirect(url_for("events.manage", slug=slug))


@bp.post("/officer/events/<slug>/cancel")
@login_required
def cancel(slug: str):
    attempt(lambda: publishing.cancel(current_user, slug), _("Acara dibatalkan."))
    return redirect(url_for("events.manage", slug=slug))
