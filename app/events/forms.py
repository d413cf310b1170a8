from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core import regions
from app.core.forms import Form

from .labels import EVENT_KIND, EVENT_OPEN_TO


class EventForm(Form):
    name = StringField(
        _l("Nama acara"),
        validators=[DataRequired(), Length(min=3, max=120)],
        description=_l("mis. Bazar UPPKS Hari Keluarga Nasional"),
    )
    kind = SelectField(
        _l("Jenis"), choices=[SelectChoice(k, v) for k, v in EVENT_KIND.items()], validators=[DataRequired()]
    )
    regency = SelectField(_l("Kabupaten/kota"), validators=[DataRequired()], validate_choice=False)
    address = StringField(
        _l("Tempat"), validators=[DataRequired(), Length(min=3, max=255)], description=_l("gedung, jalan atau lapangan")
    )
    starts_on = DateField(_l("Mulai"), validators=[DataRequired()])
    ends_on = DateField(_l("Selesai"), validators=[DataRequired()])
    open_to = SelectField(
        _l("Yang boleh ikut"),
        choices=[SelectChoice(k, v) for k, v in EVENT_OPEN_TO.items()],
        validators=[DataRequired()],
    )
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])

    def for_scope(self, province: str | None, regency: str | None) -> "EventForm":
        """Only the kabupaten/kota the officer may publish for."""
        # an officer's province is a known one (checked when the scope was given); one no longer known offers none
        provinces = (
            [found for found in [regions.province(province)] if found is not None] if province else regions.provinces()
        )
        self.regency.choices = [SelectChoice("", _l("— pilih kabupaten/kota —"))] + [
            SelectChoice(r.code, r.name, optgroup=p.name)
            for p in provinces
            for r in p.regencies
            if regency is None or r.code == regency
        ]
        return self

    def fill(self, event) -> None:
        for name in ("name", "kind", "address", "starts_on", "ends_on", "open_to", "description"):
            getattr(self, name).data = getattr(event, name)
        self.regency.data = event.regency_code

    def data_for_service(self) -> dict:
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "regency": self.regency.data,
            "address": self.address.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "open_to": self.open_to.data,
            "description": self.description.data,
        }
