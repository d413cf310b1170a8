from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.views import invitation_link
from app.catalog.browse import Filters, browse
from app.catalog.products import products_of_group
from app.core import place_form, qr
from app.core.errors import DomainError
from app.core.forms import apply_errors, attempt
from app.core.inputs import offset_value
from app.core.links import external_url
from app.wholesale.organisations import partners_of_group

from . import contact, join_links, roles, services
from .documents import format_npwp, update_documents
from .forms import DocumentsForm, GroupForm, MemberForm, role_choices
from .labels import MEMBER_ROLE

bp = Blueprint("groups", __name__)


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def register():
    form = GroupForm()
    moving = request.form.get("action") == place_form.MOVE  # a step of the address picker: nothing is saved
    sent = form.to_service()  # as typed: the service names every mistake at once, a wrong pair too
    valid = not moving and form.validate_on_submit()
    place, wrong = place_form.read(form, moving=moving)
    if valid:
        try:
            group = services.register_group(current_user, sent)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Kelompok didaftarkan. Produk akan tampil setelah kelompok diverifikasi petugas."), "success")
            return redirect(url_for("groups.manage", slug=group.slug))
    place_form.show(form, wrong)
    status = 200 if request.method == "GET" or (moving and not wrong) else 422
    return render_template("groups/register.html", form=form, place=place), status


def _manage_page(group, member_form: MemberForm, status: int = 200):
    me = roles.standing(current_user, group.id)
    joining = me.can(roles.MANAGE_MEMBERS)
    link = join_links.open_link(group) if joining else None
    address = external_url("groups.join", token=link.token) if link else None
    return render_template(
        "groups/manage.html",
        group=group,
        products=products_of_group(group, include_archived=True),
        me=me,
        members=services.members(group),
        join_link=link,
        join_address=address,
        join_qr=qr.svg_data_uri(address) if address else None,
        join_share=contact.share_link(_("Gabung dengan %(group)s di Pasar UPPKS:", group=group.name) + " " + address)
        if address
        else None,
        join_requests=join_links.pending(group) if joining else [],
        member_form=member_form,
        role_choices=role_choices(),
    ), status


@bp.get("/groups/<slug>/manage")
@login_required
def manage(slug: str):
    return _manage_page(services.group_for_member(current_user, slug), MemberForm())


@bp.post("/groups/<slug>/members")
@login_required
def add_member(slug: str):
    form = MemberForm()
    group = services.group_for(current_user, slug, roles.MANAGE_MEMBERS)
    if form.validate_on_submit():
        try:
            services.invite_member(current_user, slug, form.email.data, form.role.data, invitation_link)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(
                _("Undangan dikirim ke %(email)s. Ia bergabung setelah membuka tautannya.", email=form.email.data),
                "success",
            )
            return redirect(url_for("groups.manage", slug=slug))
    return _manage_page(group, form, 422)


@bp.post("/groups/<slug>/members/<int:user_id>/role")
@login_required
def change_role(slug: str, user_id: int):
    """The chair gives a member another role (a select and a button per member; no script)."""
    try:
        member = services.set_role(current_user, slug, user_id, request.form.get("role", ""))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(exc.detail, "error")
        return _manage_page(services.group_for_member(current_user, slug), MemberForm(), exc.status)
    flash(_("%(name)s sekarang %(role)s kelompok.", name=member.user.name, role=MEMBER_ROLE[member.role]), "success")
    return redirect(url_for("groups.manage", slug=slug) + "#members")


@bp.post("/groups/<slug>/payout")
@login_required
def payout(slug: str):
    form = request.form
    attempt(
        lambda: services.update_payout(
            current_user,
            slug,
            form.get("payout_bank", ""),
            form.get("payout_account_number", ""),
            form.get("payout_account_name", ""),
        ),
        _("Rekening disimpan."),
    )
    return redirect(url_for("groups.manage", slug=slug))


@bp.post("/groups/<slug>/pickup-address")
@login_required
def pickup_address(slug: str):
    form = request.form
    attempt(
        lambda: services.update_pickup_address(
            current_user, slug, form.get("address", ""), form.get("postal_code", "")
        ),
        _("Alamat penjemputan disimpan."),
    )
    return redirect(url_for("groups.manage", slug=slug) + "#pickup")


@bp.post("/groups/<slug>/whatsapp")
@login_required
def whatsapp(slug: str):
    """The group's WhatsApp number and whether buyers see a link to it (the chair)."""
    attempt(
        lambda: contact.update_whatsapp(
            current_user, slug, request.form.get("whatsapp", ""), request.form.get("whatsapp_shown") == "1"
        ),
        _("WhatsApp kelompok disimpan."),
    )
    return redirect(url_for("groups.manage", slug=slug) + "#whatsapp")


@bp.get("/g/<slug>")
def show(slug: str):
    group = services.public_group(slug)
    page = browse(Filters(group=slug), cursor=request.args.get("cursor"), limit=48, cards=True)

    return render_template("groups/show.html", group=group, page=page, partners=partners_of_group(group))


@bp.get("/groups")
def index():
    offset = offset_value(request.args.get("offset"))
    groups, more = services.list_public_groups(
        q=request.args.get("q", ""), province=request.args.get("province", ""), offset=offset, limit=48
    )
    return render_template("groups/index.html", groups=groups, more=more, offset=offset)


@bp.route("/groups/<slug>/documents", methods=["GET", "POST"])
@login_required
def documents(slug: str):
    """The group's NPWP, NIB and tax standing, printed on its invoices (the chair sets them)."""
    group = services.group_for(current_user, slug, roles.EDIT_GROUP)
    form = DocumentsForm(obj=group) if request.method == "GET" else DocumentsForm()
    if request.method == "GET":
        form.npwp.data = format_npwp(group.npwp)
    if form.validate_on_submit():
        try:
            update_documents(current_user, slug, form.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Data untuk invoice disimpan."), "success")
            return redirect(url_for("groups.documents", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template("groups/documents.html", group=group, form=form), status
