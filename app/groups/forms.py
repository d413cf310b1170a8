from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core import place_form, regions
from app.core.forms import Form, choices

from .labels import MEMBER_ROLE

BUSINESS_TYPE_LABELS = {
    "industri_rumah_tangga": _l("Industri rumah tangga"),
    "pertanian": _l("Pertanian"),
    "jasa": _l("Jasa"),
    "peternakan": _l("Peternakan"),
    "lainnya": _l("Lainnya"),
}


def regency_choices() -> list[SelectChoice]:
    """Every kabupaten/kota, grouped by province: choosing one gives the province too."""
    return [SelectChoice(r.code, r.name, optgroup=p.name) for p in regions.provinces() for r in p.regencies]


class GroupForm(Form):
    name = StringField(_l("Nama kelompok"), validators=[DataRequired(), Length(max=120)])
    province = place_form.province_field()  # then kabupaten/kota and kecamatan: app/core/place_form.py
    regency = place_form.regency_field([DataRequired()])
    district = place_form.district_field([Optional(), Length(max=120)])
    picked = place_form.picked_field()
    village = StringField(_l("Desa/kelurahan"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=255)])
    business_type = SelectField(_l("Jenis usaha"), choices=choices(BUSINESS_TYPE_LABELS.items()))
    founded_year = IntegerField(_l("Tahun berdiri"), validators=[Optional(), NumberRange(1970, 2100)])
    member_count = IntegerField(_l("Jumlah anggota"), validators=[DataRequired(), NumberRange(1, 10_000)])
    whatsapp = TelField(_l("Nomor WhatsApp"), validators=[Optional(), Length(max=30)])
    story = TextAreaField(_l("Cerita kelompok"), validators=[Optional(), Length(max=5000)])

    def to_service(self) -> dict:
        return {
            "name": self.name.data,
            "regency": self.regency.data,
            "province": self.province.data,
            "district": self.district.data,
            "village": self.village.data,
            "address": self.address.data,
            "business_type": self.business_type.data,
            "founded_year": self.founded_year.data,
            "member_count": self.member_count.data,
            "whatsapp": self.whatsapp.data,
            "story": self.story.data,
        }


class MemberForm(Form):
    email = EmailField(_l("Email anggota"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Peran"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


def role_choices() -> list[SelectChoice]:
    """The four roles, the plain member first (an invitation's default)."""
    return choices((code, str(words).capitalize()) for code, words in reversed(MEMBER_ROLE.items()))


class DocumentsForm(Form):
    """The group's numbers on its invoices and delivery notes (what it has; none is required)."""

    npwp = StringField(
        _l("NPWP kelompok (tidak wajib)"),
        validators=[Optional(), Length(max=25)],
        description=_l("15 atau 16 angka. Tercetak di invoice."),
    )
    nib = StringField(
        _l("NIB dari OSS (tidak wajib)"),
        validators=[Optional(), Length(max=20)],
        description=_l("Nomor Induk Berusaha, 13 angka."),
    )
    pkp = BooleanField(_l("Kelompok kami Pengusaha Kena Pajak (PKP)"))
    final_tax_certificate = BooleanField(_l("Kami punya Surat Keterangan PP 55/2022 (pajak final UMKM 0,5%)"))
