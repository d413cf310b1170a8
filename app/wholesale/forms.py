from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core import place_form
from app.core.forms import Form, choices
from app.groups.forms import regency_choices

ORG_TYPE_LABELS = {
    "hotel": _l("Hotel"),
    "supermarket": _l("Supermarket"),
    "shop": _l("Toko"),
    "restaurant": _l("Restoran"),
    "office": _l("Kantor"),
    "exporter": _l("Eksportir"),
    "government": _l("Instansi pemerintah"),
    "soe": _l("BUMN / BUMD"),
    "other": _l("Lainnya"),
}


def _regencies(field):
    field.choices = [SelectChoice("", _l("— pilih kabupaten/kota —"))] + regency_choices()


class OrgForm(Form):
    name = StringField(_l("Nama usaha"), validators=[DataRequired(), Length(max=160)])
    type = SelectField(_l("Jenis usaha"), choices=choices(ORG_TYPE_LABELS.items()))
    npwp = StringField(_l("NPWP (opsional)"), validators=[Optional(), Length(max=25)])
    regency = SelectField(_l("Kabupaten/kota"), validators=[DataRequired()], validate_choice=False)
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=255)])

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        _regencies(self.regency)


class StaffForm(Form):
    email = EmailField(_l("Email staf"), validators=[DataRequired(), Length(max=254)])


class AddressForm(Form):
    label = StringField(_l("Nama outlet"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Nama penerima"), validators=[DataRequired(), Length(max=120)])
    phone = TelField(_l("HP penerima"), validators=[DataRequired(), Length(max=30)])
    street = StringField(_l("Alamat (jalan, nomor, RT/RW)"), validators=[DataRequired(), Length(max=255)])
    village = StringField(_l("Desa/kelurahan"), validators=[Optional(), Length(max=120)])
    province = place_form.province_field()  # then kabupaten/kota, kecamatan, postal code: app/core/place_form.py
    regency = place_form.regency_field()
    district = place_form.district_field()
    postal_code = StringField(_l("Kode pos"), validators=[Length(max=5)])
    picked = place_form.picked_field()

    def to_service(self) -> dict:
        fields = ("label", "name", "phone", "street", "village", "district", "regency", "province", "postal_code")
        return {name: self[name].data for name in fields}


class QuoteForm(Form):
    product_id = HiddenField()
    category = SelectField(_l("Kategori"), validate_choice=False)
    description = TextAreaField(_l("Yang dibutuhkan"), validators=[DataRequired(), Length(max=2000)])
    quantity = IntegerField(_l("Jumlah"), validators=[DataRequired(), NumberRange(1, 1_000_000)])
    needed_by = DateField(_l("Dibutuhkan tanggal"), validators=[DataRequired()])
    delivery_regency = SelectField(_l("Dikirim ke kabupaten/kota"), validators=[DataRequired()], validate_choice=False)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        _regencies(self.delivery_regency)


class OfferForm(Form):
    product_id = SelectField(_l("Produk"), validate_choice=False)
    unit_price_idr = IntegerField(
        _l("Harga per unit (Rp)"), validators=[DataRequired(), NumberRange(100, 1_000_000_000)]
    )
    quantity = IntegerField(_l("Jumlah yang sanggup"), validators=[DataRequired(), NumberRange(1, 1_000_000)])
    min_quantity = IntegerField(
        _l("Paling sedikit yang boleh diambil (tidak wajib)"),
        validators=[Optional(), NumberRange(1, 1_000_000)],
        description=_l("Kosongkan bila pembeli boleh mengambil berapa pun dari penawaran ini."),
    )
    source = RadioField(
        _l("Dari mana barangnya"),
        default="stock",
        choices=choices(
            [
                ("stock", _l("Dari stok yang ada sekarang")),
                ("made", _l("Dibuat setelah dipesan: stok sekarang tidak dipakai")),
            ]
        ),
    )
    lead_time_days = IntegerField(_l("Waktu siap (hari)"), validators=[Optional(), NumberRange(0, 365)], default=7)
    valid_until = DateField(_l("Berlaku sampai"), validators=[DataRequired()])


class VerifyOrgForm(Form):
    payment_terms_days = SelectField(
        _l("Tempo pembayaran"),
        choices=choices([("0", _l("Tanpa tempo")), ("14", _l("14 hari")), ("30", _l("30 hari"))]),
    )
