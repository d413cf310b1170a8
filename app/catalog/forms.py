from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import DateField, FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import Form, SubForm, choices

from . import limits, permits


class TierForm(SubForm):
    min_qty = IntegerField(_l("Mulai jumlah"), validators=[Optional(), NumberRange(*limits.TIER_MIN_QTY)])
    unit_price_idr = IntegerField(_l("Harga per unit (Rp)"), validators=[Optional(), NumberRange(*limits.PRICE_IDR)])


class PermitForm(SubForm):
    type = SelectField(
        _l("Jenis izin"), choices=choices([("", "—")] + list(permits.TYPE_LABELS.items())), validate_choice=False
    )
    number = StringField(_l("Nomor"), validators=[Optional(), Length(max=limits.PERMIT_NUMBER_MAX)])
    issued_on = DateField(_l("Tanggal terbit"), validators=[Optional()])
    expires_on = DateField(_l("Berlaku sampai"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("submitted", _l("Sudah terbit, ajukan verifikasi")), ("in_process", _l("Masih dalam proses"))]
        ),
        validate_choice=False,
    )


class ProductForm(Form):
    name = StringField(_l("Nama produk"), validators=[DataRequired(), Length(*limits.NAME)])
    category = SelectField(_l("Kategori"), validators=[DataRequired()], validate_choice=False)
    description = TextAreaField(_l("Deskripsi"), validators=[Optional(), Length(max=limits.DESCRIPTION_MAX)])
    ingredients = TextAreaField(_l("Komposisi"), validators=[Optional(), Length(max=limits.INGREDIENTS_MAX)])
    unit = StringField(
        _l("Satuan"),
        default="bungkus",
        validators=[DataRequired(), Length(*limits.UNIT)],
        description=_l("mis. bungkus, toples, botol, buah"),
    )
    net_weight_g = IntegerField(
        _l("Berat bersih (gram)"),
        validators=[Optional(), NumberRange(*limits.NET_WEIGHT_G)],
        description=_l("Untuk ongkos kirim: tanpa berat, dihitung 1 kg."),
    )
    shelf_life_days = IntegerField(
        _l("Masa simpan (hari)"), validators=[Optional(), NumberRange(*limits.SHELF_LIFE_DAYS)]
    )
    gtin = StringField(
        _l("GTIN / nomor barcode (boleh kosong)"),
        validators=[Optional(), Length(max=20)],
        description=_l("EAN-13, UPC-A atau EAN-8 dari GS1 Indonesia"),
    )
    price_idr = IntegerField(_l("Harga (Rp)"), validators=[DataRequired(), NumberRange(*limits.PRICE_IDR)])
    stock = IntegerField(_l("Stok"), default=0, validators=[NumberRange(*limits.STOCK)])
    min_order_qty = IntegerField(
        _l("Pembelian minimum"), default=1, validators=[DataRequired(), NumberRange(*limits.MIN_ORDER_QTY)]
    )
    status = SelectField(
        _l("Status"),
        choices=choices([("active", _l("Tampil (aktif)")), ("draft", _l("Draf")), ("archived", _l("Diarsipkan"))]),
    )
    price_tiers = FieldList(FormField(TierForm), min_entries=3, max_entries=limits.MAX_TIERS)
    permits = FieldList(FormField(PermitForm), min_entries=3, max_entries=limits.MAX_PERMITS)

    def to_service(self) -> dict:
        data = {
            "name": self.name.data,
            "category": self.category.data,
            "description": self.description.data,
            "ingredients": self.ingredients.data,
            "unit": self.unit.data,
            "net_weight_g": self.net_weight_g.data,
            "shelf_life_days": self.shelf_life_days.data,
            "gtin": self.gtin.data,
            "price_idr": self.price_idr.data,
            "stock": self.stock.data,
            "min_order_qty": self.min_order_qty.data,
            "status": self.status.data,
            "price_tiers": [t.data for t in self.price_tiers if t.form.min_qty.data or t.form.unit_price_idr.data],
            "permits": [p.data for p in self.permits if (p.form.number.data or "").strip() or p.form.type.data],
        }
        if data["net_weight_g"] is None:  # not known yet (listed from a phone): left as it is
            del data["net_weight_g"]
        return data

    def load(self, product) -> None:
        """Fill an empty form from a product (GET of the edit page)."""
        for name in (
            "name",
            "description",
            "ingredients",
            "unit",
            "net_weight_g",
            "shelf_life_days",
            "gtin",
            "price_idr",
            "stock",
            "min_order_qty",
            "status",
        ):
            getattr(self, name).data = getattr(product, name)
        self.net_weight_g.data = product.net_weight_g or None  # 0: not known yet
        if product.waiting_to_list:
            self.status.data = "active"  # the group's wish: it shows by itself once ready
        self.category.data = product.category.slug
        for entry, tier in zip(self.price_tiers, product.tiers, strict=False):
            entry.form.min_qty.data, entry.form.unit_price_idr.data = tier.min_qty, tier.unit_price_idr
        while len(self.permits) < min(5, len(product.permits) + 1):
            self.permits.append_entry()
        for entry, permit in zip(self.permits, product.permits, strict=False):
            sub = entry.form
            sub.type.data, sub.number.data = permit.type, permit.number
            sub.issued_on.data, sub.expires_on.data = permit.issued_on, permit.expires_on
            sub.status.data = permit.status if permit.status == "in_process" else "submitted"


class PhotoForm(Form):
    file = FileField(_l("Foto (JPEG, PNG atau WebP)"), validators=[FileRequired(_l("Pilih berkas foto."))])


class ListingForm(Form):
    """A new product from a phone: the photos first (the camera opens), then what a buyer needs to see it.
    The service checks the values (products.listing_values); the rest waits for the edit page."""

    photos = MultipleFileField(_l("Foto produk"), description=_l("Ambil foto atau pilih dari galeri; boleh beberapa."))
    name = StringField(_l("Nama produk"), validators=[Optional()])
    category = SelectField(_l("Kategori"), validate_choice=False)
    price_idr = StringField(_l("Harga (Rp)"), validators=[Optional()])
    unit = StringField(_l("Satuan"), default="bungkus", description=_l("mis. bungkus, toples, botol, buah"))
    stock = StringField(_l("Stok"), validators=[Optional()], description=_l("Berapa yang siap dijual sekarang"))

    def to_service(self) -> dict:
        return {
            "name": self.name.data,
            "category": self.category.data,
            "price_idr": _whole_number(self.price_idr.data),
            "unit": self.unit.data,
            "stock": _whole_number(self.stock.data),
        }


def _whole_number(raw: str | None) -> str:
    """What was typed, as a number may be written in Indonesia: "Rp25.000" and "25.000" are 25000 (the
    service says whether it is one)."""
    text = (raw or "").strip()
    cleaned = text.removeprefix("Rp").removeprefix("rp").replace(".", "").replace(" ", "").strip()
    return cleaned if cleaned.isdigit() else text
