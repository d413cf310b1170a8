"""A group's products: checked, written with their tier prices and permits, archived."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import validate
from app.core.errors import ValidationFailed, collect
from app.core.text import slugify
from app.extensions import db
from app.groups.models import Group

from . import gtin, limits, prices, search, visibility
from .access import group_for_selling, product_for_member
from .categories import category_by_slug
from .models import PRODUCT_STATUSES, PriceTier, Product
from .permit_changes import apply_permits, clean_permits

if TYPE_CHECKING:
    from collections.abc import Callable

    from .categories import CategoryInfo
    from .models import Category

MAX_PRICE = limits.PRICE_IDR.high
MAX_TIERS = limits.MAX_TIERS
PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "ingredients",
    "unit",
    "net_weight_g",
    "shelf_life_days",
    "gtin",
    "price_idr",
    "stock",
    "min_order_qty",
    "price_tiers",
    "permits",
    "status",
)


def products_of_group(group: Group, include_archived: bool = False) -> list[Product]:
    stmt = select(Product).where(Product.group_id == group.id)
    if not include_archived:
        stmt = stmt.where(Product.status != "archived")
    return list(db.session.scalars(stmt.order_by(Product.status, Product.name)))


def _clean_product(data: dict, errors: dict, current: Product | None, partial: bool | None = None) -> dict:
    """The product's fields in the order a form shows them; on an edit (current given) or when partial, only
    the fields sent, and the tiers and permits again when the price or the category they depend on changes."""
    partial = current is not None if partial is None else partial
    out: dict = {}

    def has(key: str) -> bool:
        return not partial or key in data

    if has("name"):
        out["name"] = validate.text(data.get("name"), errors, "name", max_len=limits.NAME.high, min_len=limits.NAME.low)
    category = _clean_category(data, errors, current, has, out)
    _clean_texts(data, errors, has, out)
    _clean_numbers(data, errors, has, out)
    if has("status"):
        status = data.get("status") or "draft"
        if status not in PRODUCT_STATUSES:
            collect(errors, "status", _("Status harus draft, active atau archived."))
        out["status"] = status
    _clean_tiers_and_permits(data, errors, current, category, has, out)
    return out


def _clean_category(
    data: dict, errors: dict, current: Product | None, has: Callable[[str], bool], out: dict
) -> Category | CategoryInfo | None:
    category: Category | CategoryInfo | None = current.category if current else None
    if has("category"):
        category = category_by_slug(str(data.get("category") or ""))
        if category is None:
            collect(errors, "category", _("Pilih kategori dari daftar."))
        else:
            out["category_id"] = category.id
    return category


def _clean_texts(data: dict, errors: dict, has: Callable[[str], bool], out: dict) -> None:
    if has("description"):
        out["description"] = (
            validate.text(
                data.get("description"), errors, "description", max_len=limits.DESCRIPTION_MAX, required=False
            )
            or ""
        )
    if has("ingredients"):
        out["ingredients"] = validate.text(
            data.get("ingredients"), errors, "ingredients", max_len=limits.INGREDIENTS_MAX, required=False
        )
    if has("unit"):
        out["unit"] = validate.text(data.get("unit"), errors, "unit", max_len=limits.UNIT.high)
    if has("gtin"):
        out["gtin"] = gtin.clean(data.get("gtin"), errors)


def _clean_numbers(data: dict, errors: dict, has: Callable[[str], bool], out: dict) -> None:
    if has("net_weight_g"):
        out["net_weight_g"] = validate.integer(
            data.get("net_weight_g"), errors, "net_weight_g", low=limits.NET_WEIGHT_G.low, high=limits.NET_WEIGHT_G.high
        )
    if has("shelf_life_days"):
        out["shelf_life_days"] = validate.integer(
            data.get("shelf_life_days"),
            errors,
            "shelf_life_days",
            low=limits.SHELF_LIFE_DAYS.low,
            high=limits.SHELF_LIFE_DAYS.high,
            required=False,
        )
    if has("price_idr"):
        out["price_idr"] = validate.integer(
            data.get("price_idr"), errors, "price_idr", low=limits.PRICE_IDR.low, high=limits.PRICE_IDR.high
        )
    if has("stock"):
        out["stock"] = validate.integer(
            data.get("stock"), errors, "stock", low=limits.STOCK.low, high=limits.STOCK.high
        )
    if has("min_order_qty"):
        out["min_order_qty"] = validate.integer(
            data.get("min_order_qty") or 1,
            errors,
            "min_order_qty",
            low=limits.MIN_ORDER_QTY.low,
            high=limits.MIN_ORDER_QTY.high,
        )


def _clean_tiers_and_permits(
    data: dict,
    errors: dict,
    current: Product | None,
    category: Category | CategoryInfo | None,
    has: Callable[[str], bool],
    out: dict,
) -> None:
    partial = current is not None
    price = out.get("price_idr") or (current.price_idr if current else None)
    if has("price_tiers") or (partial and "price_idr" in data):
        raw_tiers = (
            data.get("price_tiers")
            if "price_tiers" in data or current is None
            else [{"min_qty": t.min_qty, "unit_price_idr": t.unit_price_idr} for t in current.tiers]
        )
        out["price_tiers"] = _clean_tiers(raw_tiers or [], price, errors)
    if has("permits") or (partial and "category" in data):
        raw_permits = (
            data.get("permits")
            if "permits" in data or current is None
            else [
                {
                    "type": p.type,
                    "number": p.number,
                    "issued_on": p.issued_on,
                    "expires_on": p.expires_on,
                    "status": p.status,
                }
                for p in current.permits
            ]
        )
        out["permits"] = clean_permits(raw_permits or [], category, errors)


def _clean_tiers(raw: list, price: int | None, errors: dict) -> list[tuple[int, int]]:
    if not isinstance(raw, list) or len(raw) > MAX_TIERS:
        collect(errors, "price_tiers", _("Paling banyak %(n)s harga grosir.", n=MAX_TIERS))
        return []
    tiers: list[tuple[int, int]] = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            collect(errors, f"price_tiers.{i}", _("Harga grosir tidak valid."))
            continue
        qty = validate.integer(
            row.get("min_qty"),
            errors,
            f"price_tiers.{i}.min_qty",
            low=limits.TIER_MIN_QTY.low,
            high=limits.TIER_MIN_QTY.high,
        )
        unit = validate.integer(
            row.get("unit_price_idr"),
            errors,
            f"price_tiers.{i}.unit_price_idr",
            low=limits.PRICE_IDR.low,
            high=limits.PRICE_IDR.high,
        )
        if qty and unit:
            tiers.append((qty, unit))
    tiers.sort()
    last_price = price
    for i, (qty, unit) in enumerate(tiers):
        if i and qty == tiers[i - 1][0]:
            collect(errors, "price_tiers", _("Dua harga grosir memakai jumlah minimum yang sama."))
        if last_price is not None and unit >= last_price:
            collect(
                errors,
                "price_tiers",
                _("Harga grosir harus lebih murah dari harga satuan dan dari tingkat sebelumnya."),
            )
            break
        last_price = unit
    return tiers


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
        apply_permits(product, permits, actor)


def _checked(data: dict, current: Product | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = _clean_product(data, errors, current)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return values


def _save(product: Product) -> Product:
    """Write the product, its search entry and, for a price far above its category's, a flag for an
    officer (prices.check), in one transaction."""
    db.session.flush()
    db.session.refresh(product, ["category", "group"])
    prices.check(product)
    search.index_product(product)
    db.session.commit()
    return product


# what the site's new-product form asks (with the photos); the rest waits for the edit page
LISTING_FIELDS = ("name", "category", "price_idr", "unit", "stock")


def listing_values(data: dict, errors: dict) -> dict:
    """The new-product form's fields, checked by the same rules as every product's (the others keep their
    defaults: no weight yet, no tiers, no permits)."""
    return _clean_product({key: data.get(key) for key in LISTING_FIELDS}, errors, None, partial=True)


def add_waiting_product(group: Group, values: dict) -> Product:
    """A new product from the site, a draft that shows by itself once it has a photo and stock; in the
    session (flushed), not committed: the caller adds its photos and calls save()."""
    product = Product(group_id=group.id, slug=slugify(values["name"]), status="draft", list_when_ready=True)
    _apply(product, values)
    db.session.add(product)
    db.session.flush()
    return product


def save(product: Product) -> Product:
    return _save(product)


def create_product(actor: User, group_slug: str, data: dict) -> Product:
    group = group_for_selling(actor, group_slug)
    values = _checked(data, None)
    product = Product(group_id=group.id, slug=slugify(values["name"]))
    _apply(product, values)
    db.session.add(product)
    return _save(product)


def update_product(actor: User, product_id: int, data: dict, *, hold_until_ready: bool = False) -> Product:
    """Change the fields sent. `hold_until_ready` (the site's edit page): "show it" on a product that has no
    photo or stock yet keeps it a draft that shows by itself once it has them (visibility.settle_status)."""
    product = product_for_member(actor, product_id)
    values = _checked(data, product)
    if "name" in values:
        product.slug = slugify(values["name"])
    status = values.pop("status", None)
    _apply(product, values, actor)
    visibility.settle_status(product, status, hold_until_ready=hold_until_ready)
    return _save(product)


def archive_product(actor: User, product_id: int) -> Product:
    product = product_for_member(actor, product_id)
    product.status = "archived"
    db.session.commit()
    return product
