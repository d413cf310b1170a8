from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectChoice, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core import regions
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
    regency = SelectField(_l("Kabupaten/kota"), validators=[DataRequired()], validate_choice=False)
    district = StringField(_l("Kecamatan"), validators=[Optional(), Length(max=120)])
    village = StringField(_l("Desa/kelurahan"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=255)])
    business_type = SelectField(_l("Jenis usaha"), choices=choices(BUSINESS_TYPE_LABELS.items()))
    founded_year = IntegerField(_l("Tahun berdiri"), validators=[Optional(), NumberRange(1970, 2100)])
    member_count = IntegerField(_l("Jumlah anggota"), validators=[DataRequired(), NumberRange(1, 10_000)])
    whatsapp = TelField(_l("Nomor WhatsApp"), validators=[Optional(), Length(max=30)])
    story = TextAreaField(_l("Cerita kelompok"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regency.choices = [SelectChoice("", _l("— pilih kabupaten/kota —"))] + regency_choices()

    def to_service(self) -> dict:
        return {
            "name": self.name.data,
            "regency": self.regency.data,
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
