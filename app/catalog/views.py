import dataclasses
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core import regions
from app.core.errors import DomainError, ValidationFailed
from app.core.forms import apply_errors, attempt, choices
from app.core.http import send_private
from app.core.inputs import link_args
from app.core.money import format_rupiah
from app.core.page_cache import public_page
from app.extensions import csrf, db
from app.groups.models import Group
from app.orders.reviews import reviews_of
from app.orders.services import is_member

from . import access, browse, categories, listing, lots, permit_changes, photos, products
from . import barcode_labels as barcode_labels_pdf
from .forms import ListingForm, PhotoForm, ProductForm

bp = Blueprint("catalog", __name__)


def _int_arg(name: str, errors: dict) -> int | None:
    raw = (request.args.get(name) or "").replace(".", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors.setdefault(name, []).append(_("Harus angka."))
        return None


def filters_from_args() -> tuple[browse.Filters, dict]:
    errors: dict[str, list[str]] = {}
    f = browse.Filters(
        q=(request.args.get("q") or "")[:200],
        category=request.args.get("category", ""),
        province=request.args.get("province", ""),
        regency=request.args.get("regency", ""),
        group=request.args.get("group", ""),
        permit=request.args.get("permit", ""),
        min_price_idr=_int_arg("min_price_idr", errors),
        max_price_idr=_int_arg("max_price_idr", errors),
        in_stock=request.args.get("in_stock") in ("1", "on", "true"),
        export=request.args.get("export") in ("1", "on", "true"),
        sort=request.args.get("sort", ""),
    )
    if f.province and f.regency and not f.regency.startswith(f.province + "."):
        f.regency = ""  # the province changed; its old regency no longer applies
    return f, errors


def filter_chips(f: browse.Filters, category) -> list[tuple[str, str]]:
    """The filters in force, each as (its words, this search without it): a chip that removes itself."""
    args: dict[str, Any] = {}
    for key, value in dataclasses.asdict(f).items():
        if value not in ("", None, False):
            args[key] = "1" if value is True else value

    def without(*keys: str) -> str:
        return url_for("catalog.search", **{k: v for k, v in args.items() if k not in keys})

    chips = []
    if category is not None:
        chips.append((category.name(str(get_locale())), without("category")))
    if regions.province(f.province):
        chips.append((regions.province_name(f.province), without("province", "regency")))
    if regions.regency(f.regency):
        chips.append((regions.regency_name(f.regency), without("regency")))
    if f.group:
        name = db.session.scalar(select(Group.name).where(Group.slug == f.group))
        chips.append((name or f.group, without("group")))
    if f.permit in PERMIT_WORDS:
        chips.append((str(PERMIT_WORDS[f.permit]), without("permit")))
    if f.min_price_idr is not None:
        chips.append((_("Dari %(p)s", p=format_rupiah(f.min_price_idr)), without("min_price_idr")))
    if f.max_price_idr is not None:
        chips.append((_("Sampai %(p)s", p=format_rupiah(f.max_price_idr)), without("max_price_idr")))
    if f.in_stock:
        chips.append((_("Hanya yang ada stok"), without("in_stock")))
    if f.export:
        chips.append((_("Hanya yang siap ekspor"), without("export")))
    return chips


PERMIT_WORDS = {"any": _l("Punya izin terverifikasi"), "bpom": "BPOM", "pirt": "P-IRT", "halal": _l("Halal")}


@bp.get("/")
@public_page
def home():
    page = browse.cached_browse(browse.Filters(sort="newest"), limit=12, cards=True)
    return render_template("catalog/home.html", page=page, categories=categories.categories())


@bp.get("/search")
@public_page
def search():
    f, errors = filters_from_args()
    page = None
    try:
        page = browse.cached_browse(f, cursor=request.args.get("cursor"), limit=24, cards=True)
    except ValidationFailed as exc:
        for key, msgs in exc.errors.items():
            errors.setdefault(key, []).extend(msgs)
    category = categories.category_by_slug(f.category) if f.category else None
    return render_template(
        "catalog/search.html",
        page=page,
        f=f,
        errors=errors,
        category=category,
        categories=categories.categories(),
        chips=filter_chips(f, category),
    ), (422 if errors else 200)


@bp.get("/c/<slug>")
def category(slug: str):
    if categories.category_by_slug(slug) is None:
        return render_template("errors/error.html", status=404, message=_("Kategori tidak ditemukan.")), 404
    return redirect(url_for("catalog.search", **link_args(category=slug)))


@bp.get("/p/<int:product_id>")
@bp.get("/p/<int:product_id>/<slug>")
@public_page
def product(product_id: int, slug: str | None = None):
    item = browse.public_product(product_id)
    if slug != item.slug:
        return redirect(url_for("catalog.product", product_id=item.id, slug=item.slug), 301)

    can_reply = current_user.is_authenticated and is_member(current_user, item.group_id)
    return render_template(
        "catalog/product.html",
        product=item,
        locale=str(get_locale()),
        reviews=reviews_of(item.id) if item.rating_count else [],
        can_reply=can_reply,
    )


# ------------------------------------------------------------------ selling (members of the group)


def _category_choices():
    locale = str(get_locale())
    return choices([("", _("— pilih kategori —"))] + [(c.slug, c.name(locale)) for c in categories.categories()])


@bp.route("/groups/<slug>/products/new", methods=["GET", "POST"])
@csrf.exempt  # the body may hold several photos: read with its own cap, the form checks the CSRF token itself
@login_required
def new_product(slug: str):
    """One short step from a phone: photos, name, category, price, unit, stock (listing.py)."""
    group = access.group_for_selling(current_user, slug)
    request.max_content_length = listing.request_limit()
    form = ListingForm()
    form.category.choices = _category_choices()
    tokens = [s.token for s in listing.staged_of(current_user, request.form.getlist("kept_photo"))]
    if request.method == "POST" and form.validate():
        uploads = [f.read() for f in request.files.getlist("photos") if f and f.filename]
        kept = listing.keep_photos(current_user, slug, uploads, request.form.getlist("kept_photo"))
        tokens = kept.tokens
        try:
            item = listing.list_product(current_user, slug, form.to_service(), tokens, refused=kept.errors)
        except DomainError as exc:
            apply_errors(form, exc)
            tokens = [s.token for s in listing.staged_of(current_user, tokens)]
        else:
            flash(_listed_message(item), "success" if item.is_public else "info")
            return redirect(url_for("catalog.edit_product", product_id=item.id))
    return render_template("catalog/listing_form.html", form=form, group=group, kept=tokens), (
        422 if request.method == "POST" else 200
    )


def _listed_message(item) -> str:
    if item.is_public:
        return _("Produk tampil di toko.")
    if item.photos_processing:
        return _("Produk disimpan. Foto sedang diproses; produk tampil sendiri setelah fotonya siap.")
    return _("Produk disimpan sebagai draf. Produk tampil sendiri setelah ada foto dan stok.")


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def edit_product(product_id: int):
    item = access.product_for_member(current_user, product_id)
    form = ProductForm()
    form.category.choices = _category_choices()
    if request.method == "GET":
        form.load(item)
    elif form.validate_on_submit():
        try:
            products.update_product(current_user, product_id, form.to_service(), hold_until_ready=True)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("catalog.edit_product", product_id=product_id))
    return render_template(
        "catalog/product_form.html",
        form=form,
        group=item.group,
        product=item,
        photo_form=PhotoForm(),
        lots=lots.lots_of(item),
        lot_words=lots.lot_words,
    ), (422 if request.method == "POST" else 200)


@bp.post("/products/<int:product_id>/lots")
@login_required
def add_lot(product_id: int):
    attempt(lambda: lots.add_lot(current_user, product_id, request.form), _("Stok ditambahkan."))
    return redirect(url_for("catalog.edit_product", product_id=product_id) + "#lot")


@bp.get("/groups/<slug>/labels.pdf")
@login_required
def barcode_labels(slug: str):
    copies = max(1, min(24, request.args.get("copies", 1, type=int) or 1))
    response = make_response(barcode_labels_pdf.group_sheet(current_user, slug, copies))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="label-barcode-{slug}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/products/<int:product_id>/archive")
@login_required
def archive_product(product_id: int):
    item = products.archive_product(current_user, product_id)
    flash(_("Produk diarsipkan."), "info")
    return redirect(url_for("groups.manage", slug=item.group.slug))


@bp.post("/products/<int:product_id>/photos")
@csrf.exempt  # several photos in one go, as on the new-product form: the form checks the CSRF token itself
@login_required
def upload_photo(product_id: int):
    item = access.product_for_member(current_user, product_id)
    request.max_content_length = listing.request_limit()
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        added = []
        try:
            for upload in request.files.getlist("file")[: listing.MAX_LISTING_PHOTOS]:
                added.append(photos.add_photo(current_user, product_id, upload.read()))
        except DomainError as exc:
            apply_errors(photo_form, exc)
        else:
            new = any(a.new for a in added)
            flash(_("Foto ditambahkan.") if new else _("Foto ini sudah ada di produk ini."), "success")
            return redirect(url_for("catalog.edit_product", product_id=product_id))
    form = ProductForm()
    form.category.choices = _category_choices()
    form.load(item)
    return render_template(
        "catalog/product_form.html", form=form, group=item.group, product=item, photo_form=photo_form
    ), 422


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/move")
@login_required
def move_photo(product_id: int, photo_id: int):
    photos.move_photo(current_user, product_id, photo_id, request.form.get("to", ""))
    return redirect(url_for("catalog.edit_product", product_id=product_id) + "#photos")


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/delete")
@login_required
def delete_photo(product_id: int, photo_id: int):
    photos.delete_photo(current_user, product_id, photo_id)
    flash(_("Foto dihapus."), "info")
    return redirect(url_for("catalog.edit_product", product_id=product_id) + "#photos")


@bp.post("/products/<int:product_id>/permits/<int:permit_id>/document")
@login_required
def permit_document(product_id: int, permit_id: int):
    upload = request.files.get("file")
    try:
        permit_changes.add_permit_document(current_user, product_id, permit_id, upload.read() if upload else b"")
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.detail, "error")
    else:
        flash(_("Dokumen izin diunggah."), "success")
    return redirect(url_for("catalog.edit_product", product_id=product_id))


@bp.get("/permits/<int:permit_id>/document")
@login_required
def permit_document_file(permit_id: int):
    """A permit's scan: for its group, officers of its region and admins only."""
    return send_private(permit_changes.permit_document_for(current_user, permit_id))
