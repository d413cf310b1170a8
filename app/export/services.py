"""Export-ready listings: a group marks a product export-ready once its category's permit is valid and
the details an importer needs are there (English name and description, net weight, shelf life, HS code,
packaging, a minimum export quantity). Export-ready products get an English page with an indicative
USD price at the rate an admin sets, and importers ask for an export quote (FOB/CIF, destination)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.catalog.access import product_for_member
from app.catalog.models import REQUIRED_BY_KIND, Product
from app.core import validate
from app.core.errors import Forbidden, NotFound, ValidationFailed, collect
from app.core.timefmt import today_wib
from app.extensions import db

from .models import ExportListing, UsdRate

HS_CODE = re.compile(r"^(\d{4})\.?(\d{2})(?:\.?(\d{2}))?$")
INCOTERMS = ("FOB", "CIF")
MAX_PACK_CM = 300


# ------------------------------------------------------------------ the group's side


def hs_code(value, errors: dict, field: str = "hs_code") -> str | None:
    """An HS code: 6 digits (international) or Indonesia's 8 (BTKI), dots optional; chapters 01-97
    (77 is reserved). Written back as 1905.90 or 1905.90.90."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return None
    found = HS_CODE.match(text.replace(" ", ""))
    chapter = int(found.group(1)[:2]) if found else 0
    if not found or not 1 <= chapter <= 97 or chapter == 77:
        collect(errors, field, _("Kode HS ditulis 6 atau 8 angka, mis. 1905.90 atau 1905.90.90 (bab 01 sampai 97)."))
        return None
    return ".".join(part for part in found.groups() if part)


def listing_for_member(actor: User, product_id: int) -> tuple[Product, ExportListing]:
    product = product_for_member(actor, product_id)
    listing = db.session.get(ExportListing, product.id) or ExportListing(product_id=product.id)
    return product, listing


def missing_for_export(product: Product, listing: ExportListing) -> list[str]:
    """What still stands between this product and an export-ready listing, in words for the group."""
    missing = []
    required = REQUIRED_BY_KIND.get(product.category.kind, ())
    until = product.export_valid_until()
    if required and (until is None or until < today_wib()):
        missing.append(
            _(
                "izin edar kategori ini (%(what)s) yang sudah diverifikasi dan masih berlaku",
                what=" / ".join(t.upper().replace("_", " ") for t in required),
            )
        )
    if not listing.name_en:
        missing.append(_("nama dalam bahasa Inggris"))
    if not listing.description_en:
        missing.append(_("deskripsi dalam bahasa Inggris"))
    if not product.net_weight_g:
        missing.append(_("berat bersih"))
    if required and not product.shelf_life_days:
        missing.append(_("masa simpan"))
    if not listing.hs_code:
        missing.append(_("kode HS"))
    if not (listing.pack_length_cm and listing.pack_width_cm and listing.pack_height_cm):
        missing.append(_("ukuran kemasan"))
    if not listing.min_export_qty:
        missing.append(_("jumlah minimum ekspor"))
    return missing


def save_listing(actor: User, product_id: int, data: dict) -> tuple[Product, ExportListing]:
    """Save the English details and packaging; with ready, mark export-ready (422 naming what is missing)."""
    product, listing = listing_for_member(actor, product_id)
    errors: dict[str, list[str]] = {}
    values = {
        "name_en": validate.text(data.get("name_en"), errors, "name_en", max_len=120, min_len=3, required=False),
        "description_en": validate.text(
            data.get("description_en"), errors, "description_en", max_len=5000, min_len=20, required=False
        ),
        "hs_code": hs_code(data.get("hs_code"), errors),
        "min_export_qty": validate.integer(
            data.get("min_export_qty"), errors, "min_export_qty", low=1, high=1_000_000, required=False
        ),
    }
    for side in ("length", "width", "height"):
        key = f"pack_{side}_cm"
        values[key] = validate.integer(data.get(key), errors, key, low=1, high=MAX_PACK_CM, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    for key, value in values.items():
        setattr(listing, key, value)
    ready = data.get("ready") is True
    if ready:
        missing = missing_for_export(product, listing)
        if missing:
            message = _("Belum bisa ditandai siap ekspor; masih perlu: %(what)s.", what=", ".join(missing))
            raise ValidationFailed(message, {"ready": [message]})
    db.session.add(listing)
    product.export_ready = ready
    product.export_until = product.export_valid_until() if ready else None
    db.session.commit()
    return product, listing


# ------------------------------------------------------------------ the importer's side


def export_product(product_id: int) -> tuple[Product, ExportListing]:
    """A public, export-ready product and its listing; anything else is 404."""
    product = db.session.get(Product, product_id)
    listing = db.session.get(ExportListing, product_id) if product is not None else None
    if product is None or listing is None or not product.is_public or not product.is_export_ready:
        raise NotFound(_("Produk tidak ditemukan."))
    return product, listing


def export_listing_of(product: Product) -> ExportListing | None:
    """The listing of a product that is export-ready today, else None."""
    return db.session.get(ExportListing, product.id) if product.is_export_ready else None


def current_rate() -> UsdRate | None:
    return db.session.scalar(select(UsdRate).order_by(UsdRate.id.desc()).limit(1))


def set_rate(actor: User, idr_per_usd, rate_date, source: str | None) -> UsdRate:
    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang dapat mengubah kurs."))
    errors: dict[str, list[str]] = {}
    rate = validate.integer(idr_per_usd, errors, "idr_per_usd", low=1_000, high=100_000)
    day = validate.date_value(
        rate_date,
        errors,
        "rate_date",
        required=True,
        not_before=today_wib() - timedelta(days=31),
        too_early=_("Pakai kurs sebulan terakhir."),
    )
    if day and day > today_wib():
        collect(errors, "rate_date", _("Tanggal kurs tidak boleh di masa depan."))
    source = validate.text(source, errors, "source", max_len=120, required=False)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    row = UsdRate(idr_per_usd=rate, rate_date=day, source=source, set_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    return row


def usd_cents(amount_idr: int, idr_per_usd: int) -> int:
    """Rupiah in US cents, rounded half up, in integers (no floats near money)."""
    return (amount_idr * 200 + idr_per_usd) // (2 * idr_per_usd)


def usd(amount_idr: int, idr_per_usd: int) -> str:
    """Rupiah as US dollars for display: "2.00", "1,234.50"."""
    cents = usd_cents(amount_idr, idr_per_usd)
    return f"{cents // 100:,}.{cents % 100:02d}"


UNITS_IN_ENGLISH = {
    "bungkus": "pack",
    "buah": "piece",
    "toples": "jar",
    "botol": "bottle",
    "lembar": "sheet",
    "kotak": "box",
    "pak": "pack",
    "kaleng": "tin",
    "sachet": "sachet",
    "kg": "kg",
    "gram": "gram",
    "liter": "litre",
    "pasang": "pair",
    "set": "set",
    "ikat": "bundle",
    "karton": "carton",
}


PLURALS = {"box": "boxes", "kg": "kg"}


def unit_in_english(unit: str, quantity: int = 1) -> str:
    """The selling unit as an importer reads it ("bungkus" -> "pack", 500 of them "packs"); an unknown one
    as written."""
    english = UNITS_IN_ENGLISH.get((unit or "").strip().lower())
    if english is None:
        return unit
    if quantity == 1:
        return english
    return PLURALS.get(english, english + "s")


@dataclass(frozen=True)
class Country:
    code: str
    name: str


def countries() -> list[Country]:
    """Destination countries (ISO 3166-1 alpha-2, names in English from CLDR through Babel); not Indonesia."""
    names = Locale("en").territories
    return sorted(
        (
            Country(code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in ("ID", "ZZ", "EU", "EZ", "UN", "QO")
        ),
        key=lambda c: c.name,
    )


def clean_export_terms(product: Product, listing: ExportListing, data: dict, errors: dict) -> dict:
    """The export part of a quote request (wholesale.create_quote calls this): Incoterm, destination,
    the minimum export quantity and the rate of the day."""
    incoterm = data.get("incoterm")
    if incoterm not in INCOTERMS:
        collect(errors, "incoterm", _("Pilih FOB atau CIF."))
    country = data.get("destination_country")
    if not isinstance(country, str) or country.upper() not in {c.code for c in countries()}:
        collect(errors, "destination_country", _("Pilih negara tujuan dari daftar."))
        country = None
    port = validate.text(
        data.get("destination_port"), errors, "destination_port", max_len=120, required=incoterm == "CIF"
    )
    quantity = data.get("quantity")
    if isinstance(quantity, int) and listing.min_export_qty and quantity < listing.min_export_qty:
        collect(
            errors,
            "quantity",
            _("Minimum ekspor %(n)s %(unit)s.", n=listing.min_export_qty, unit=unit_in_english(product.unit)),
        )
    rate = current_rate()
    if rate is None:
        collect(errors, "incoterm", _("Kurs dolar belum ditetapkan admin; coba lagi nanti."))
    return {
        "currency": "USD",
        "incoterm": incoterm,
        "destination_country": country.upper() if country else None,
        "destination_port": port,
        "idr_per_usd": rate.idr_per_usd if rate else None,
    }


def country_name(code: str | None) -> str:
    return Locale("en").territories.get(code or "", code or "")
