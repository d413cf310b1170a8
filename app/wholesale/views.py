"""Business buyers' pages: organisation, outlets, quote requests and offers, invoices."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.views import invitation_link
from app.catalog import lots
from app.catalog.browse import public_product
from app.catalog.categories import categories
from app.catalog.products import products_of_group
from app.core import place_form
from app.core.errors import DomainError
from app.core.forms import apply_errors, attempt, choices
from app.core.http import back
from app.core.inputs import id_value
from app.groups import services as groups
from app.orders import cart

from . import consignment, documents, invoices, offers, organisations, pdf, proposals, quotes, standing
from .checkout import negotiated_terms, repeat_order
from .forms import AddressForm, OfferForm, OrgForm, QuoteForm, StaffForm, VerifyOrgForm

bp = Blueprint("wholesale", __name__)


def _flash_error(exc: DomainError) -> None:
    flash(" ".join(m for ms in exc.errors.values() for m in ms) or exc.detail, "error")


@bp.route("/business/register", methods=["GET", "POST"])
@login_required
def register():
    form = OrgForm()
    if form.validate_on_submit():
        try:
            organisations.register_org(
                current_user,
                {
                    "name": form.name.data,
                    "type": form.type.data,
                    "npwp": form.npwp.data,
                    "regency": form.regency.data,
                    "address": form.address.data,
                },
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(
                _("Organisasi didaftarkan. Setelah diverifikasi, Anda dapat meminta penawaran dan membeli grosir."),
                "success",
            )
            return redirect(url_for("wholesale.dashboard"))
    return render_template("wholesale/register.html", form=form), (422 if request.method == "POST" else 200)


@bp.get("/business")
@login_required
def dashboard():
    org = organisations.org_of(current_user)
    if org is None:
        return redirect(url_for("wholesale.register"))
    form = AddressForm()
    place, _wrong = place_form.read(form)
    return _dashboard(org, form, place)


def _dashboard(org, address_form: AddressForm, place, status: int = 200, adding: bool = False):
    """The business buyer's page; `adding`: the new outlet's form is open (a step of its address picker)."""
    return render_template(
        "wholesale/dashboard.html",
        org=org,
        staff=organisations.staff_of(org),
        addresses=organisations.addresses_of(org),
        quotes=quotes.quotes_of_org(org),
        standing_orders=standing.standing_orders_of_org(org),
        invoices=invoices.list_for(current_user),
        today=invoices.today(),
        partners=organisations.partners_of_org(org),
        consignments=consignment.agreements_of_org(org),
        can_terms=invoices.can_use_terms(org),
        staff_form=StaffForm(),
        address_form=address_form,
        place=place,
        adding=adding,
    ), status


@bp.post("/business/staff")
@login_required
def add_staff():
    org = organisations.org_of(current_user) or abort(404)
    form = StaffForm()
    attempt(
        lambda: organisations.invite_staff(current_user, org.id, form.email.data, invitation_link),
        _("Undangan dikirim ke %(email)s. Ia menjadi staf setelah membuka tautannya.", email=form.email.data),
    )
    return redirect(url_for("wholesale.dashboard"))


@bp.post("/business/shelf-life")
@login_required
def shelf_life():
    org = organisations.org_of(current_user) or abort(404)
    attempt(
        lambda: organisations.set_shelf_life(current_user, org.id, request.form), _("Syarat sisa masa simpan disimpan.")
    )
    return redirect(url_for("wholesale.dashboard") + "#masa-simpan")


@bp.post("/business/addresses")
@login_required
def add_address():
    """A new outlet: its address picked a step per "Lanjut" (province, kabupaten/kota, kecamatan, postal
    code), then saved; a wrong pair is refused at the step that sees it."""
    org = organisations.org_of(current_user) or abort(404)
    form = AddressForm()
    moving = request.form.get("action") == place_form.MOVE
    sent = form.to_service()  # as typed: the service names every mistake at once, a wrong pair too
    place, wrong = place_form.read(form, moving=moving)
    if moving and not wrong:
        return _dashboard(org, form, place, adding=True)
    if not moving:
        try:
            organisations.add_address(current_user, sent)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            apply_errors(form, exc)
        else:
            flash(_("Alamat disimpan."), "success")
            return redirect(url_for("wholesale.dashboard"))
    place_form.show(form, wrong)
    return _dashboard(org, form, place, 422, adding=True)


@bp.route("/business/quotes/new", methods=["GET", "POST"])
@login_required
def new_quote():
    form = QuoteForm()
    locale = str(get_locale())
    form.category.choices = choices([(c.slug, c.name(locale)) for c in categories()])
    product = None
    pid = id_value(request.values.get("product_id") or request.args.get("product"))
    if pid is not None:
        try:
            product = public_product(pid)
        except DomainError:
            product = None
    if request.method == "GET":
        # where and when a buyer usually wants it: its own kabupaten/kota, two weeks from today
        org = organisations.org_of(current_user)
        form.delivery_regency.data = form.delivery_regency.data or (org.regency_code if org else None)
        form.needed_by.data = form.needed_by.data or invoices.today() + timedelta(days=14)
    if request.method == "GET" and product is not None:
        form.product_id.data = str(product.id)
        form.description.data = product.name
    repeat = id_value(request.args.get("repeat"))
    terms = negotiated_terms(current_user, repeat) if request.method == "GET" and repeat else None
    if terms is not None:  # "Pesan lagi" on a negotiated order: the same group, the last terms written in
        product = public_product(terms["product_id"])
        form.product_id.data = str(product.id)
        form.description.data, form.quantity.data = terms["description"], terms["quantity"]
        form.delivery_regency.data = terms["delivery_regency"]
    if form.validate_on_submit():
        try:
            quote = quotes.create_quote(
                current_user,
                {
                    "product_id": id_value(form.product_id.data),
                    "category": form.category.data,
                    "description": form.description.data,
                    "quantity": form.quantity.data,
                    "needed_by": form.needed_by.data,
                    "delivery_regency": form.delivery_regency.data,
                },
            )
        except DomainError as exc:
            apply_errors(form, exc)
            if exc.status == 403:
                form.form_errors.append(exc.detail)
        else:
            flash(_("Permintaan penawaran dikirim ke %(n)s kelompok.", n=len(quote.recipients)), "success")
            return redirect(url_for("wholesale.quote", quote_id=quote.id))
    return render_template("wholesale/new_quote.html", form=form, product=product), (
        422 if request.method == "POST" else 200
    )


@bp.get("/quotes/<int:quote_id>")
@login_required
def quote(quote_id: int):
    q, role = quotes.quote_for(current_user, quote_id)
    offer_form = None
    if role == "group" and q.status == "open":
        offer_form = OfferForm()
        mine = [g for g in groups.groups_of(current_user) if g.id in {r.group_id for r in q.recipients}]
        products = [
            p
            for g in mine
            for p in products_of_group(g)
            if p.status == "active" and (q.product_id in (None, p.id)) and p.category_id == q.category_id
        ]
        offer_form.product_id.choices = choices([(str(p.id), f"{p.name} ({p.group.name})") for p in products])
        if q.product_id:
            offer_form.product_id.data = str(q.product_id)
    addresses = organisations.addresses_of(organisations.org_of(current_user)) if role == "buyer" else []
    shown = offers.visible_offers(current_user, q, role)
    return render_template(
        "wholesale/quote.html",
        quote=q,
        role=role,
        offers=shown,
        next_lots=lots.next_lots([o.product_id for o in shown if o.from_stock]),  # what each offer delivers
        lot_words=lots.lot_words,
        offer_form=offer_form,
        today=invoices.today(),
        addresses=addresses,
        last_delivery=offers.last_delivery(current_user) if role == "buyer" and not addresses else None,
    )


@bp.post("/quotes/<int:quote_id>/offers")
@login_required
def make_offer(quote_id: int):
    form = OfferForm()
    data = {
        "product_id": id_value(form.product_id.data),
        "unit_price_idr": form.unit_price_idr.data,
        "quantity": form.quantity.data,
        "min_quantity": form.min_quantity.data,
        "lead_time_days": form.lead_time_days.data or 0,
        "valid_until": form.valid_until.data,
        "from_stock": form.source.data != "made",
    }
    attempt(lambda: offers.make_offer(current_user, quote_id, data), _("Penawaran dikirim."))
    return redirect(url_for("wholesale.quote", quote_id=quote_id))


def _count(raw: str | None) -> int | None:
    """A quantity typed: None when left empty (all of it), 0 when not a whole number (refused as such)."""
    text = (raw or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


@bp.post("/quotes/<int:quote_id>/accept")
@login_required
def accept(quote_id: int):
    ids = [i for i in map(id_value, request.form.getlist("offer_id")) if i is not None]
    parts = {i: _count(request.form.get(f"quantity_{i}")) for i in ids}  # how much of each offer is taken
    try:
        checkout = offers.accept_offers(current_user, quote_id, ids, id_value(request.form.get("address_id")), parts)
    except DomainError as exc:
        _flash_error(exc)
        return redirect(url_for("wholesale.quote", quote_id=quote_id))
    flash(_("Penawaran diterima: %(n)s pesanan dibuat.", n=len(checkout.orders)), "success")
    return redirect(url_for("orders.checkout_page", access_key=checkout.access_key))


@bp.post("/quotes/<int:quote_id>/close")
@login_required
def close(quote_id: int):
    attempt(
        lambda: offers.close_quote(current_user, quote_id),
        _("Permintaan ditutup. Kelompok yang tidak dipilih sudah diberi tahu."),
    )
    return redirect(url_for("wholesale.quote", quote_id=quote_id))


@bp.get("/groups/<slug>/quotes")
@login_required
def group_quotes(slug: str):
    group = groups.group_for_member(current_user, slug)
    return render_template(
        "wholesale/group_quotes.html",
        group=group,
        quotes=quotes.quotes_for_group(group),
        proposals=proposals.proposals_for_group(group),
        invoices=invoices.list_for(current_user, group_id=group.id),
        today=invoices.today(),
        partners=organisations.partners_of_group(group),
    )


@bp.get("/invoices/<int:invoice_id>")
@login_required
def invoice(invoice_id: int):
    inv = invoices.invoice_for(current_user, invoice_id)
    doc = documents.invoice_document(inv)
    return render_template("wholesale/invoice.html", invoice=inv, doc=doc, today=invoices.today())


@bp.get("/invoices/<int:invoice_id>.pdf")
@login_required
def invoice_pdf(invoice_id: int):
    inv = invoices.invoice_for(current_user, invoice_id)
    response = make_response(pdf.render(inv))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{inv.number.replace("/", "-")}.pdf"'
    return response


def _pdf(body: bytes, name: str):
    response = make_response(body)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@bp.get("/orders/<int:order_id>/invoice")
@login_required
def order_invoice(order_id: int):
    """From an order to its invoice (the order pages link here; the invoice's own checks apply)."""
    documents.order_papers(current_user, order_id)  # 404 unless the order is the actor's to see
    inv = documents.invoice_of(order_id)
    if inv is None:
        abort(404)
    return redirect(url_for("wholesale.invoice", invoice_id=inv.id))


@bp.get("/orders/<int:order_id>/delivery-note.pdf")
@login_required
def delivery_note(order_id: int):
    order, org = documents.order_papers(current_user, order_id)
    return _pdf(pdf.delivery_note(order, org), f"surat-jalan-{order.number}")


@bp.get("/orders/<int:order_id>/acceptance-record.pdf")
@login_required
def acceptance_record(order_id: int):
    order, org = documents.order_papers(current_user, order_id)
    if not documents.needs_acceptance_record(org):
        abort(404)
    return _pdf(pdf.acceptance_record(order, org), f"bast-{order.number}")


@bp.post("/invoices/<int:invoice_id>/paid")
@login_required
def invoice_paid(invoice_id: int):
    attempt(lambda: invoices.mark_paid(current_user, invoice_id), _("Invoice ditandai lunas."))
    return back(url_for("wholesale.invoice", invoice_id=invoice_id))


@bp.post("/orders/<int:order_id>/repeat")
@login_required
def repeat(order_id: int):
    if negotiated_terms(current_user, order_id) is not None:  # a negotiated deal: ask the same group again
        return redirect(url_for("wholesale.new_quote", repeat=order_id))
    items, changes = repeat_order(current_user, order_id)
    for product_id, qty in items:
        cart.set_quantity(product_id, qty)
    for change in changes:
        flash(change, "info")
    flash(_("Pesanan diulang dengan harga dan stok hari ini. Periksa keranjang."), "success")
    return redirect(url_for("orders.view_cart"))


# ------------------------------------------------------------------ admins (and officers of the region)


@bp.get("/admin/organisations")
@login_required
def org_queue():
    if not (current_user.is_admin or current_user.is_officer):
        abort(403)
    return render_template(
        "wholesale/org_queue.html",
        orgs=organisations.pending_orgs(current_user),
        form=VerifyOrgForm(),
        overdue=invoices.list_for(current_user, overdue_only=True) if current_user.is_admin else [],
    )


@bp.post("/admin/organisations/<int:org_id>/verify")
@login_required
def verify_org(org_id: int):
    try:
        terms = int(request.form.get("payment_terms_days", "0"))
    except ValueError:
        terms = -1
    organisations.verify_org(current_user, org_id, terms)
    flash(_("Organisasi terverifikasi."), "success")
    return redirect(url_for("wholesale.org_queue"))
