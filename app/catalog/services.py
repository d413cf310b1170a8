"""Products, tiers, permits, photos; and the public catalog (browse, search, product page)."""
from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select, tuple_, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from app.accounts.models import Decision, User
from app.accounts.scope import check_scope
from app.core import images, jobs, regions, validate
from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooLarge,
    UnsupportedMedia,
    ValidationFailed,
    collect,
)
from app.core.storage import replace_and_commit, storage
from app.core.text import slugify
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group, Membership
from app.groups.services import group_for_member

from . import permits as permit_rules
from . import search
from .models import (
    PERMITS_BY_KIND,
    PRODUCT_STATUSES,
    Category,
    Permit,
    Photo,
    PriceTier,
    Product,
    today_wib,
)

MAX_PRICE = 1_000_000_000
MAX_STOCK = 1_000_000
MAX_TIERS = 5
MAX_PERMITS = 5
MAX_PHOTOS = 8
PRODUCT_FIELDS = ("name", "category", "description", "ingredients", "unit", "net_weight_g", "shelf_life_days",
                  "price_idr", "stock", "min_order_qty", "price_tiers", "permits", "status")


# ---------------------------------------------------------------- categories

@dataclass(frozen=True)
class CategoryInfo:
    """A category as pages, filters and forms read it (a plain value, safe to keep between requests)."""

    id: int
    slug: str
    name_id: str
    name_en: str
    kind: str

    def name(self, locale: str = "id") -> str:
        return self.name_en if locale == "en" else self.name_id


CATEGORY_SECONDS = 300
_categories_kept: dict[str, tuple[float, tuple[CategoryInfo, ...]]] = {}


def categories() -> list[CategoryInfo]:
    """The categories, in their order. They are written only by the migrations, so each process keeps
    them five minutes instead of asking the database on every page (three times on a listing)."""
    where = str(db.engine.url)
    kept = _categories_kept.get(where)
    if kept is None or time.monotonic() - kept[0] > CATEGORY_SECONDS:
        rows = db.session.scalars(select(Category).order_by(Category.position, Category.id))
        kept = (time.monotonic(), tuple(CategoryInfo(c.id, c.slug, c.name_id, c.name_en, c.kind) for c in rows))
        _categories_kept[where] = kept
    return list(kept[1])


def category_by_slug(slug: str) -> CategoryInfo | None:
    return next((c for c in categories() if c.slug == slug), None)


# ---------------------------------------------------------------- who may touch a product

def _member_product(actor: User, product_id: int) -> Product:
    """A product of a group the actor belongs to; anything else is 404."""
    stmt = select(Product).where(Product.id == product_id)
    if not actor.is_admin:
        stmt = stmt.where(exists().where(Membership.group_id == Product.group_id, Membership.user_id == actor.id))
    product = db.session.scalar(stmt)
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


def product_for_member(actor: User, product_id: int) -> Product:
    return _member_product(actor, product_id)


def products_of_group(group: Group, include_archived: bool = False) -> list[Product]:
    stmt = select(Product).where(Product.group_id == group.id)
    if not include_archived:
        stmt = stmt.where(Product.status != "archived")
    return list(db.session.scalars(stmt.order_by(Product.status, Product.name)))


# ---------------------------------------------------------------- validation

def _clean_product(data: dict, errors: dict, current: Product | None) -> dict:
    partial = current is not None
    out: dict = {}

    def has(key: str) -> bool:
        return not partial or key in data

    if has("name"):
        out["name"] = validate.text(data.get("name"), errors, "name", max_len=120, min_len=3)
    category = current.category if current else None
    if has("category"):
        category = category_by_slug(str(data.get("category") or ""))
        if category is None:
            collect(errors, "category", _("Pilih kategori dari daftar."))
        else:
            out["category_id"] = category.id
    if has("description"):
        out["description"] = validate.text(data.get("description"), errors, "description", max_len=5000, required=False) or ""
    if has("ingredients"):
        out["ingredients"] = validate.text(data.get("ingredients"), errors, "ingredients", max_len=2000, required=False)
    if has("unit"):
        out["unit"] = validate.text(data.get("unit"), errors, "unit", max_len=30)
    if has("net_weight_g"):
        out["net_weight_g"] = validate.integer(data.get("net_weight_g"), errors, "net_weight_g", low=1, high=1_000_000)
    if has("shelf_life_days"):
        out["shelf_life_days"] = validate.integer(data.get("shelf_life_days"), errors, "shelf_life_days",
                                                  low=1, high=3650, required=False)
    if has("price_idr"):
        out["price_idr"] = validate.integer(data.get("price_idr"), errors, "price_idr", low=100, high=MAX_PRICE)
    if has("stock"):
        out["stock"] = validate.integer(data.get("stock"), errors, "stock", low=0, high=MAX_STOCK)
    if has("min_order_qty"):
        out["min_order_qty"] = validate.integer(data.get("min_order_qty") or 1, errors, "min_order_qty", low=1, high=MAX_STOCK)
    if has("status"):
        status = data.get("status") or "draft"
        if status not in PRODUCT_STATUSES:
            collect(errors, "status", _("Status harus draft, active atau archived."))
        out["status"] = status
    price = out.get("price_idr") or (current.price_idr if current else None)
    if has("price_tiers") or (partial and "price_idr" in data):
        raw_tiers = data.get("price_tiers") if "price_tiers" in data or not partial else [
            {"min_qty": t.min_qty, "unit_price_idr": t.unit_price_idr} for t in current.tiers]
        out["price_tiers"] = _clean_tiers(raw_tiers or [], price, errors)
    if has("permits") or (partial and "category" in data):
        raw_permits = data.get("permits") if "permits" in data or not partial else [
            {"type": p.type, "number": p.number, "issued_on": p.issued_on, "expires_on": p.expires_on,
             "status": p.status} for p in current.permits]
        out["permits"] = _clean_permits(raw_permits or [], category, errors)
    return out


def _clean_tiers(raw: list, price: int | None, errors: dict) -> list[tuple[int, int]]:
    if not isinstance(raw, list) or len(raw) > MAX_TIERS:
        collect(errors, "price_tiers", _("Paling banyak %(n)s harga grosir.", n=MAX_TIERS))
        return []
    tiers: list[tuple[int, int]] = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            collect(errors, f"price_tiers.{i}", _("Harga grosir tidak valid."))
            continue
        qty = validate.integer(row.get("min_qty"), errors, f"price_tiers.{i}.min_qty", low=2, high=MAX_STOCK)
        unit = validate.integer(row.get("unit_price_idr"), errors, f"price_tiers.{i}.unit_price_idr", low=100, high=MAX_PRICE)
        if qty and unit:
            tiers.append((qty, unit))
    tiers.sort()
    last_price = price
    for i, (qty, unit) in enumerate(tiers):
        if i and qty == tiers[i - 1][0]:
            collect(errors, "price_tiers", _("Dua harga grosir memakai jumlah minimum yang sama."))
        if last_price is not None and unit >= last_price:
            collect(errors, "price_tiers", _("Harga grosir harus lebih murah dari harga satuan dan dari tingkat sebelumnya."))
            break
        last_price = unit
    return tiers


def _clean_permits(raw: list, category: Category | None, errors: dict) -> list[dict]:
    if not isinstance(raw, list) or len(raw) > MAX_PERMITS:
        collect(errors, "permits", _("Paling banyak %(n)s izin.", n=MAX_PERMITS))
        return []
    allowed = PERMITS_BY_KIND.get(category.kind, ()) if category else ()
    out = []
    for i, row in enumerate(raw):
        key = f"permits.{i}"
        if not isinstance(row, dict):
            collect(errors, key, _("Izin tidak valid."))
            continue
        ptype = row.get("type")
        if ptype not in permit_rules.TYPE_LABELS:
            collect(errors, f"{key}.type", _("Jenis izin tidak dikenal."))
            continue
        if category and ptype not in allowed:
            if ptype in ("bpom_md", "bpom_ml", "pirt") and category.kind == "cosmetic":
                msg = _("Sabun dan kosmetik memakai nomor notifikasi kosmetik BPOM (NA…), bukan MD/ML atau P-IRT.")
            elif ptype == "bpom_na":
                msg = _("Nomor notifikasi kosmetik (NA…) hanya untuk kosmetik seperti sabun.")
            else:
                msg = _("Jenis izin ini tidak berlaku untuk kategori %(c)s.", c=category.name_id)
            collect(errors, f"{key}.type", msg)
            continue
        number = permit_rules.normalise(ptype, str(row.get("number") or ""))
        if number is None:
            collect(errors, f"{key}.number", _("Format nomor tidak sesuai: %(hint)s.", hint=permit_rules.hint(ptype)))
            continue
        status = row.get("status") or "submitted"
        if status not in ("in_process", "submitted", "verified", "rejected"):
            collect(errors, f"{key}.status", _("Status izin harus in_process atau submitted."))
            continue
        issued = validate.date_value(row.get("issued_on"), errors, f"{key}.issued_on")
        expires = validate.date_value(row.get("expires_on"), errors, f"{key}.expires_on")
        if issued and expires and expires <= issued:
            collect(errors, f"{key}.expires_on", _("Tanggal berlaku harus setelah tanggal terbit."))
        clean = {"type": ptype, "number": number, "status": status}
        # a date left out (a PATCH that names only some fields) keeps what the permit has
        clean.update({name: value for name, value in (("issued_on", issued), ("expires_on", expires)) if name in row})
        out.append(clean)
    seen = set()
    for p in out:
        if (p["type"], p["number"]) in seen:
            collect(errors, "permits", _("Izin yang sama tercantum dua kali."))
        seen.add((p["type"], p["number"]))
    return out


def _apply(product: Product, values: dict, actor: User | None = None) -> None:
    tiers = values.pop("price_tiers", None)
    permits = values.pop("permits", None)
    for key, value in values.items():
        setattr(product, key, value)
    if tiers is not None:
        # keep the row of a quantity that stays: a delete-then-insert of the same (product, min_qty)
        # would break the unique constraint inside one flush
        current = {t.min_qty: t for t in product.tiers}
        new_tiers = []
        for qty, price in tiers:
            tier = current.get(qty) or PriceTier(min_qty=qty)
            tier.unit_price_idr = price
            new_tiers.append(tier)
        product.tiers = new_tiers
    if permits is not None:
        _apply_permits(product, permits, actor)


def _apply_permits(product: Product, permits: list[dict], actor: User | None) -> None:
    """The group's list of permits. Verification is an officer's decision: a member only submits, and
    any change to a decided permit (number, dates; a new document in add_permit_document) sends it back
    to "submitted" for a new look, with a line in the decisions log. A verified permit that is dropped
    is logged too."""
    by_key = {(p.type, p.number): p for p in product.permits}
    unmatched = [p for p in product.permits if not any((q["type"], q["number"]) == (p.type, p.number) for q in permits)]
    new_list = []
    for p in permits:
        row = by_key.get((p["type"], p["number"]))
        if row is None:
            # the same type with another number is the same permit corrected: keep its row and history
            row = next((old for old in unmatched if old.type == p["type"]), None)
            if row is not None:
                unmatched.remove(row)
                row.number = p["number"]
                _reopen(row, product, actor, "number")
            else:
                status = p["status"] if p["status"] in ("in_process", "submitted") else "submitted"
                row = Permit(type=p["type"], number=p["number"], status=status)
        for name in ("issued_on", "expires_on"):
            if name in p and getattr(row, name) != p[name]:
                setattr(row, name, p[name])
                _reopen(row, product, actor, name)
        new_list.append(row)
    for gone in unmatched:
        if gone.status == "verified":
            _log_permit(gone, product, actor, "withdrawn", None)
    product.permits = new_list
    product.refresh_permit_validity()


def _reopen(permit: Permit, product: Product, actor: User | None, what: str) -> None:
    """A decided permit that the group changes goes back to the officers' queue."""
    if permit.id is None or permit.status not in ("verified", "rejected"):
        return
    what_changed = {"number": _("nomor"), "issued_on": _("tanggal terbit"), "expires_on": _("tanggal berakhir"),
                    "document": _("dokumen")}[what]
    permit.status, permit.decided_by_id, permit.decided_at = "submitted", None, None
    _log_permit(permit, product, actor, "resubmitted",
                _("Kelompok mengubah %(what)s; perlu diperiksa lagi.", what=what_changed))


def _log_permit(permit: Permit, product: Product, actor: User | None, decision: str, reason: str | None) -> None:
    group = product.group or db.session.get(Group, product.group_id)
    db.session.add(Decision(kind="permit", object_id=permit.id, decision=decision, reason=reason,
                            actor_id=actor.id if actor else None, province_code=group.province_code,
                            regency_code=group.regency_code))


# ---------------------------------------------------------------- selling

def group_for_selling(actor: User, slug: str) -> Group:
    """The actor's group, if it may sell (verified); another group's is 404."""
    group = group_for_member(actor, slug)
    if group.status != "verified":
        raise Forbidden(_("Kelompok belum diverifikasi: produk dapat ditambahkan setelah verifikasi."))
    return group


def _checked(data: dict, current: Product | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = _clean_product(data, errors, current)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return values


def _save(product: Product) -> Product:
    """Write the product, its search entry and, for a price far above its category's, a flag for an
    officer (prices.check), in one transaction."""
    from . import prices

    db.session.flush()
    db.session.refresh(product, ["category", "group"])
    prices.check(product)
    search.index_product(product)
    db.session.commit()
    return product


def create_product(actor: User, group_slug: str, data: dict) -> Product:
    group = group_for_selling(actor, group_slug)
    values = _checked(data, None)
    product = Product(group_id=group.id, slug=slugify(values["name"]))
    _apply(product, values)
    db.session.add(product)
    return _save(product)


def update_product(actor: User, product_id: int, data: dict) -> Product:
    product = _member_product(actor, product_id)
    values = _checked(data, product)
    if "name" in values:
        product.slug = slugify(values["name"])
    _apply(product, values, actor)
    return _save(product)


def archive_product(actor: User, product_id: int) -> Product:
    product = _member_product(actor, product_id)
    product.status = "archived"
    db.session.commit()
    return product


# ---------------------------------------------------------------- photos

@dataclass
class AddedPhoto:
    photo: Photo
    new: bool  # False: this file had been sent for the product before; that photo is the answer again


def add_photo(actor: User, product_id: int, raw: bytes) -> AddedPhoto:
    """Add a photo: made at once (its variants written), or with a job queue stored for a job to make. The
    same file sent again for the same product (a client retrying an upload whose answer it lost) is the
    photo it made the first time: nothing is stored twice (one row per product and SHA-256 of the file,
    held by a unique constraint when two retries race)."""
    product = _member_product(actor, product_id)
    digest = hashlib.sha256(raw).hexdigest()
    earlier = _photo_with(product.id, digest)
    if earlier is not None:
        return _again(earlier)
    if len(product.photos) >= MAX_PHOTOS:
        raise Conflict(_("Paling banyak %(n)s foto per produk.", n=MAX_PHOTOS), {"file": [_("Paling banyak %(n)s foto per produk.", n=MAX_PHOTOS)]})
    if jobs.queued():
        return _store_for_variants(product, raw, digest)
    result = _processed(raw)
    store = storage()
    keys = _write_variants(store, result)
    try:
        position = (max((p.position for p in product.photos), default=-1)) + 1
        photo = Photo(product_id=product.id, position=position, width=result.width, height=result.height, keys=keys,
                      content_sha256=digest)
        db.session.add(photo)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        for key in keys.values():
            store.delete(key)
        raced = _raced(exc, product.id, digest)
        if raced is None:
            raise
        return raced
    return AddedPhoto(photo, True)


def _photo_with(product_id: int, digest: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.product_id == product_id, Photo.content_sha256 == digest))


def _again(photo: Photo) -> AddedPhoto:
    if photo.status == "failed":
        message = _("Berkas ini sudah pernah dikirim untuk produk ini dan tidak bisa dibaca (rusak atau tidak lengkap). "
                    "Hapus foto itu, lalu unggah berkas yang utuh.")
        raise ValidationFailed(message, {"file": [message]})
    return AddedPhoto(photo, False)


def _raced(exc: BaseException, product_id: int, digest: str) -> AddedPhoto | None:
    """The same file, sent twice at once: the one whose row was written first is the photo of both."""
    if not isinstance(exc, IntegrityError):
        return None
    earlier = _photo_with(product_id, digest)
    return _again(earlier) if earlier is not None else None


def photo_for_member(actor: User, product_id: int, photo_id: int) -> Photo:
    """One photo of a product of the member's group, in any state (processing, ready, failed)."""
    product = _member_product(actor, product_id)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(_("Foto tidak ditemukan."))
    return photo


def _write_variants(store, result) -> dict[str, str]:
    """Each WebP variant under a new key ({width: key}); if one cannot be written, none stay."""
    keys: dict[str, str] = {}
    try:
        for variant in result.variants:
            key = store.new_key("products", ".webp")
            store.put(key, variant.data)
            keys[str(variant.width)] = key
    except BaseException:
        for key in keys.values():
            store.delete(key)
        raise
    return keys


def _rejected(exc: images.ImageRejected):
    message = images.rejection_message(exc.code)
    error_class = {"too_large": TooLarge, "bad_type": UnsupportedMedia, "not_image": UnsupportedMedia}.get(exc.code,
                                                                                                          ValidationFailed)
    return error_class(message, {"file": [message]})


def _processed(raw: bytes):
    cfg = current_app.config
    try:
        return images.process(raw, widths=cfg["IMAGE_WIDTHS"], max_bytes=cfg["MAX_UPLOAD_BYTES"],
                              max_pixels=cfg["MAX_IMAGE_PIXELS"])
    except images.ImageRejected as exc:
        raise _rejected(exc) from None


def _store_for_variants(product: Product, raw: bytes, digest: str) -> AddedPhoto:
    """With a job queue: the upload is checked from its header, stored as it came (privately) and the row
    written; the answer goes back at once and a job makes the variants. Until then the product shows a
    placeholder, never a broken image."""
    cfg = current_app.config
    try:
        info = images.inspect(raw, max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_IMAGE_PIXELS"])
    except images.ImageRejected as exc:
        raise _rejected(exc) from None
    store = storage()
    key = store.new_key("originals", info.suffix)
    store.put(key, raw)
    try:
        position = (max((p.position for p in product.photos), default=-1)) + 1
        photo = Photo(product_id=product.id, position=position, width=info.width, height=info.height, keys={},
                      status="pending", original_key=key, content_sha256=digest)
        db.session.add(photo)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        store.delete(key)
        raced = _raced(exc, product.id, digest)
        if raced is None:
            raise
        return raced
    jobs.enqueue("photo.variants", photo.id)
    return AddedPhoto(photo, True)


@jobs.task("photo.variants")
def make_variants(photo_id: int) -> str:
    """The job: decode the stored upload, write the WebP variants, show the photo. A transient failure
    (storage away) raises, so the queue tries again; an image that cannot be decoded marks the photo
    failed (never shown) and its upload goes."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.status != "pending" or not photo.original_key:
        return "nothing to do"
    store = storage()
    raw = store.read(photo.original_key)
    try:
        result = images.process(raw, widths=current_app.config["IMAGE_WIDTHS"], max_bytes=len(raw) + 1,
                                max_pixels=current_app.config["MAX_IMAGE_PIXELS"])
    except images.ImageRejected:
        original, photo.status, photo.original_key = photo.original_key, "failed", None
        db.session.commit()
        store.delete(original)
        return "failed"
    keys = _write_variants(store, result)
    try:
        original = photo.original_key
        photo.keys, photo.width, photo.height = keys, result.width, result.height
        photo.status, photo.original_key = "ready", None
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in keys.values():
            store.delete(key)
        raise
    store.delete(original)
    return "ready"


def photos_waiting(older_than) -> list[int]:
    """Photos whose variant job has not run for a while (lost with Redis)."""
    return list(db.session.scalars(select(Photo.id).where(Photo.status == "pending", Photo.created_at < older_than)
                                   .limit(500)))


@jobs.task("photo.requeue", every=60)
def requeue_waiting_photos() -> int:
    """Photos still waiting for their variants ten minutes on (their job lost with Redis) are queued again."""
    waiting = photos_waiting(older_than=utcnow() - timedelta(minutes=10))
    for photo_id in waiting:
        jobs.enqueue("photo.variants", photo_id)
    return len(waiting)


def delete_photo(actor: User, product_id: int, photo_id: int) -> None:
    product = _member_product(actor, product_id)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(_("Foto tidak ditemukan."))
    keys = list(photo.keys.values()) + ([photo.original_key] if photo.original_key else [])
    product.photos.remove(photo)
    db.session.commit()
    for key in keys:  # files go after the row is gone: a failed commit leaves both
        storage().delete(key)


def move_photo(actor: User, product_id: int, photo_id: int, to: str) -> None:
    """to: 'main' (first), 'up' or 'down'."""
    product = _member_product(actor, product_id)
    photos = list(product.photos)
    index = next((i for i, p in enumerate(photos) if p.id == photo_id), None)
    if index is None:
        raise NotFound(_("Foto tidak ditemukan."))
    photo = photos.pop(index)
    target = {"main": 0, "up": max(0, index - 1), "down": min(len(photos), index + 1)}.get(to)
    if target is None:
        raise ValidationFailed(_("Arah tidak dikenal."))
    photos.insert(target, photo)
    for i, p in enumerate(photos):
        p.position = i
    db.session.commit()


# ---------------------------------------------------------------- the public catalog

def public_product(product_id: int) -> Product:
    # one round trip: the product, its group, photos, permits and tiers joined (a handful of rows)
    product = db.session.scalars(
        select(Product).join(Product.group).options(contains_eager(Product.group), joinedload(Product.photos),
                                                    joinedload(Product.permits), joinedload(Product.tiers))
        .where(Product.id == product_id, Product.status == "active", Product.hidden.is_(False),
               Group.status == "verified")
    ).unique().one_or_none()
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


@dataclass
class Filters:
    q: str = ""
    category: str = ""
    province: str = ""
    regency: str = ""
    group: str = ""
    permit: str = ""  # bpom | pirt | halal | any
    min_price_idr: int | None = None
    max_price_idr: int | None = None
    in_stock: bool = False
    export: bool = False  # only export-ready products
    sort: str = ""  # relevance | newest | price_asc | price_desc


SORTS = ("relevance", "newest", "price_asc", "price_desc")
PERMIT_FILTERS = {"bpom": ("bpom_md", "bpom_ml", "bpom_na"), "pirt": ("pirt",), "halal": ("halal",),
                  "any": ("bpom_md", "bpom_ml", "bpom_na", "pirt", "halal")}


@dataclass
class Page:
    items: list[Product]
    next_cursor: str | None
    prev_cursor: str | None = None
    corrected_q: str | None = None  # the query actually searched, when a word was corrected
    errors: dict[str, list[str]] = field(default_factory=dict)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if type(offset) is int and 0 <= offset <= 100_000:
            return offset
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        pass
    raise ValidationFailed(_("Kursor tidak valid."), {"cursor": [_("Kursor tidak valid.")]})


def check_filters(f: Filters) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if f.province and not regions.province(f.province):
        collect(errors, "province", _("Provinsi tidak dikenal."))
    if f.regency and not regions.regency(f.regency):
        collect(errors, "regency", _("Kabupaten/kota tidak dikenal."))
    if f.permit and f.permit not in PERMIT_FILTERS:
        collect(errors, "permit", _("Filter izin harus bpom, pirt, halal atau any."))
    if f.sort and f.sort not in SORTS:
        collect(errors, "sort", _("Urutan tidak dikenal."))
    if f.category and category_by_slug(f.category) is None:
        collect(errors, "category", _("Kategori tidak dikenal."))
    for name in ("min_price_idr", "max_price_idr"):
        value = getattr(f, name)
        if value is not None and not 0 <= value <= MAX_PRICE:
            collect(errors, name, _("Harga di luar batas."))
    return errors


def browse(f: Filters, cursor: str | None = None, limit: int = 24, *, cards: bool = False) -> Page:
    """A page of the catalog. cards=True: for product cards (no tier prices loaded)."""
    errors = check_filters(f)
    if errors:
        raise ValidationFailed(_("Periksa filter pencarian."), errors)
    terms = search.query_terms(f.q)
    sort = f.sort or ("relevance" if terms else "newest")
    if sort == "relevance" and terms:
        return _ranked_page(f, terms, cursor, limit, cards)
    return _keyset_page(f, terms, "newest" if sort == "relevance" else sort, cursor, limit, cards)


def cached_browse(f: Filters, cursor: str | None = None, limit: int = 24, *, cards: bool = False) -> Page:
    """browse(), with which products it showed (ids, in order) and its cursors kept in the catalog cache
    (Redis; keyed by the query and the catalog's version, so a change shows on the next request). The
    rows themselves are loaded as always (once)."""
    from dataclasses import asdict

    from app.core import cache

    built: list[Page] = []

    def build() -> dict:
        page = browse(f, cursor=cursor, limit=limit, cards=cards)
        built.append(page)
        return {"ids": [p.id for p in page.items], "next": page.next_cursor, "prev": page.prev_cursor,
                "corrected": page.corrected_q}

    kept = cache.cached("listing", {"f": asdict(f), "cursor": cursor, "limit": limit}, build)
    if built:
        return built[0]
    return Page(items=products_in_order(kept["ids"], tiers=not cards), next_cursor=kept["next"], prev_cursor=kept["prev"],
                corrected_q=kept["corrected"])


def _ranked_page(f: Filters, terms: list[str], cursor: str | None, limit: int, cards: bool = False) -> Page:
    """Search by relevance: an offset into the ranked matches (bounded by search.RANK_CAP on PostgreSQL)."""
    offset = decode_cursor(cursor)
    corrected = None
    ids = _search_ids(f, terms, offset, limit + 1)
    if not ids and offset == 0:
        fixed = search.correct(terms)
        if fixed != terms:
            ids = _search_ids(f, fixed, offset, limit + 1)
            if ids:
                corrected = " ".join(fixed)
    has_more = len(ids) > limit
    items = products_in_order(ids[:limit], tiers=not cards)
    return Page(items=items, next_cursor=encode_cursor(offset + limit) if has_more else None,
                prev_cursor=(encode_cursor(max(0, offset - limit)) if offset > 0 else None), corrected_q=corrected)


# Listings page by keyset: the cursor holds the sort key of the row it continues from, so the 50th page
# costs what the first does (an index range, not a skipped count).
KEYSET = {  # sort -> (column, ascending)
    "newest": (Product.created_at, False),
    "price_asc": (Product.price_idr, True),
    "price_desc": (Product.price_idr, False),
}


def _key_of(product: Product, sort: str) -> list:
    value = product.created_at.isoformat() if sort == "newest" else product.price_idr
    return [value, product.id]


def encode_keyset(sort: str, direction: str, key: list) -> str:
    raw = json.dumps({"s": sort, "d": direction, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_keyset(cursor: str | None, sort: str):
    """(direction, (value, id)) of a listing cursor for this sort; None for the first page; 422 otherwise."""
    if not cursor:
        return None
    invalid = ValidationFailed(_("Kursor tidak valid."), {"cursor": [_("Kursor tidak valid.")]})
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        direction, (value, row_id) = data["d"], data["k"]
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        raise invalid from None
    if data.get("s") != sort or direction not in ("n", "p") or type(row_id) is not int or not 0 < row_id <= 2**31:
        raise invalid
    if sort == "newest":
        value = _instant(value)
    elif not (type(value) is int and 0 <= value <= MAX_PRICE):
        value = None
    if value is None:
        raise invalid
    return direction, (value, row_id)


def _instant(value) -> datetime | None:
    """A cursor's time: an ISO text with its offset, as UTC; None for anything else (no offset, a date
    alone, a time that falls outside the years 1..9999 once turned to UTC)."""
    if not isinstance(value, str) or len(value) >= 40:
        return None
    try:
        at = datetime.fromisoformat(value)
        if at.tzinfo is None or at.utcoffset() is None:
            return None
        return at.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _keyset_page(f: Filters, terms: list[str], sort: str, cursor: str | None, limit: int,
                 cards: bool = False) -> Page:
    column, ascending = KEYSET[sort]
    at = decode_keyset(cursor, sort)
    stmt = _filtered(f, terms)
    backwards = at is not None and at[0] == "p"
    forward_asc = ascending != backwards  # a previous page reads the order the other way, then turns it back
    if at is not None:
        value, row_id = at[1]
        key = tuple_(column, Product.id)
        bound = tuple_(type_coerce(value, column.type), row_id)
        stmt = stmt.where(key > bound if forward_asc else key < bound)
    order = (column.asc(), Product.id.asc()) if forward_asc else (column.desc(), Product.id.desc())
    ids = list(db.session.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    if backwards:
        ids.reverse()
    items = products_in_order(ids, tiers=not cards)
    if not items:
        return Page(items=[], next_cursor=None, prev_cursor=None)
    has_next = (more and not backwards) or backwards
    has_prev = (more and backwards) or (at is not None and not backwards)
    return Page(items=items,
                next_cursor=encode_keyset(sort, "n", _key_of(items[-1], sort)) if has_next else None,
                prev_cursor=encode_keyset(sort, "p", _key_of(items[0], sort)) if has_prev else None)


def products_in_order(ids: list[int], *, tiers: bool = True) -> list[Product]:
    """The products of these ids, in this order. tiers=False: cards, which show no tier prices, skip
    loading them (a query fewer per listing; read anyway they load one by one)."""
    # photos and permits joined (a few rows per card), in the same round trip as the products
    stmt = select(Product).where(Product.id.in_(ids)).options(joinedload(Product.photos), joinedload(Product.permits))
    if not tiers:
        stmt = stmt.options(lazyload(Product.tiers))
    by_id = {p.id: p for p in db.session.scalars(stmt).unique()} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def _filtered(f: Filters, terms: list[str]):
    """The public products that pass the filters (and match the words, unranked), as a select of ids."""
    conditions = [Product.status == "active", Product.hidden.is_(False), Group.status == "verified"]
    if f.category:
        conditions.append(Category.slug == f.category)
    if f.province:
        conditions.append(Group.province_code == f.province)
    if f.regency:
        conditions.append(Group.regency_code == f.regency)
    if f.group:
        conditions.append(Group.slug == f.group)
    if f.min_price_idr is not None:
        conditions.append(Product.price_idr >= f.min_price_idr)
    if f.max_price_idr is not None:
        conditions.append(Product.price_idr <= f.max_price_idr)
    if f.in_stock:
        conditions.append(Product.stock > 0)
    if f.export:
        conditions.append(Product.export_until >= today_wib())
    if f.permit:
        today = today_wib()
        conditions.append(exists().where(
            Permit.product_id == Product.id,
            Permit.type.in_(PERMIT_FILTERS[f.permit]),
            Permit.status == "verified",
            or_(Permit.expires_on.is_(None), Permit.expires_on >= today),
        ))
    stmt = select(Product.id).join(Group, Group.id == Product.group_id).join(Category, Category.id == Product.category_id)
    stmt = stmt.where(and_(*conditions))
    return search.Matcher(terms, _filter_tags(f)).apply(stmt, ranked=False) if terms else stmt


def _filter_tags(f: Filters) -> list[str]:
    """The filters as words of the search index (search.tags), so the index narrows by them too."""
    category = category_by_slug(f.category) if f.category else None
    return search.tags(f.province or None, f.regency or None, category.id if category else None)


def _search_ids(f: Filters, terms: list[str], offset: int, limit: int) -> list[int]:
    """The ids of one page of matches by relevance."""
    matcher = search.Matcher(terms, _filter_tags(f))
    # what a buyer can take home first, then names that start with the word asked, then the rank
    ranked = matcher.apply(_filtered(f, []), ranked=True).add_columns(
        case((Product.stock > 0, 1), else_=0).label("in_stock"),
        case((func.lower(Product.name).like(terms[0] + "%"), 1), else_=0).label("starts"))
    if search._dialect() == "postgresql":
        # the candidates: the best-scored matches, read in score order by index (a common word's 100,000
        # matches are not all ranked), as many as this page needs, never more than RANK_CAP; then ranked
        # by how well the words match (name before group and description) weighted by the score
        pool = min(search.RANK_CAP, max(search.POOL, 2 * (offset + limit)))
        cols = ranked.selected_columns
        inner = ranked.order_by(cols.score.desc(), cols.fts_id.desc()).limit(pool).subquery()
        relevance = inner.c.rank * (1 + inner.c.score / 50.0)
        stmt = select(inner.c.id).order_by(inner.c.in_stock.desc(), inner.c.starts.desc(), relevance.desc(),
                                           inner.c.id.desc())
    else:
        cols = ranked.selected_columns
        stmt = ranked.order_by(cols.in_stock.desc(), cols.starts.desc(), cols.rank.desc(), Product.id.desc())
    return [r[0] for r in db.session.execute(stmt.offset(offset).limit(limit)).all()]


def permit_document_for(actor: User, permit_id: int) -> str:
    """The key of a permit's scan, for the product's group, officers whose scope holds the group, and
    admins; anyone else gets 404 (an officer outside the scope: 403)."""
    permit = db.session.get(Permit, permit_id)
    product = db.session.get(Product, permit.product_id) if permit else None
    if product is None:
        raise NotFound(_("Izin tidak ditemukan."))
    if actor.is_officer and not actor.is_admin:
        check_scope(actor, product.group.province_code, product.group.regency_code)
    elif not actor.is_admin and db.session.scalar(select(Membership.id).where(
            Membership.group_id == product.group_id, Membership.user_id == actor.id)) is None:
        raise NotFound(_("Izin tidak ditemukan."))
    if not permit.document_key:
        raise NotFound(_("Izin ini belum punya dokumen."))
    return permit.document_key


def add_permit_document(actor: User, product_id: int, permit_id: int, raw: bytes) -> Permit:
    """The scan or photo of a permit: the evidence an officer opens. Same pipeline as product photos."""
    product = _member_product(actor, product_id)
    permit = next((p for p in product.permits if p.id == permit_id), None)
    if permit is None:
        raise NotFound(_("Izin tidak ditemukan."))
    cfg = current_app.config
    try:
        result = images.process(raw, widths=(1600,), max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_DOCUMENT_PIXELS"])
    except images.ImageRejected as exc:
        message = images.rejection_message(exc.code)
        raise ValidationFailed(message, {"file": [message]}) from None
    _reopen(permit, product, actor, "document")  # a new document asks for a new look
    product.refresh_permit_validity()
    replace_and_commit("permits", result.variants[-1].data, permit.document_key,
                       lambda key: setattr(permit, "document_key", key), db.session)
    return permit
