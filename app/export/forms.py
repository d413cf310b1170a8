from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.core.forms import Form


class ExportListingForm(Form):
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        validators=[Optional(), Length(min=3, max=120)],
        description=_l("mis. Crispy Fish Crackers (Amplang)"),
    )
    description_en = TextAreaField(
        _l("Deskripsi dalam bahasa Inggris"), validators=[Optional(), Length(min=20, max=5000)]
    )
    hs_code = StringField(
        _l("Kode HS"),
        validators=[Optional(), Length(max=12)],
        description=_l("6 atau 8 angka dari BTKI, mis. 1905.90.90 untuk kerupuk"),
    )
    pack_length_cm = IntegerField(_l("Panjang kemasan (cm)"), validators=[Optional(), NumberRange(1, 300)])
    pack_width_cm = IntegerField(_l("Lebar kemasan (cm)"), validators=[Optional(), NumberRange(1, 300)])
    pack_height_cm = IntegerField(_l("Tinggi kemasan (cm)"), validators=[Optional(), NumberRange(1, 300)])
    min_export_qty = IntegerField(_l("Jumlah minimum ekspor"), validators=[Optional(), NumberRange(1, 1_000_000)])
    ready = BooleanField(_l("Tandai siap ekspor"))

    FIELDS = (
        "name_en",
        "description_en",
        "hs_code",
        "pack_length_cm",
        "pack_width_cm",
        "pack_height_cm",
        "min_export_qty",
    )

    def fill(self, product, listing) -> None:
        for name in self.FIELDS:
            getattr(self, name).data = getattr(listing, name)
        self.ready.data = product.export_ready

    def data_for_service(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        data["ready"] = bool(self.ready.data)
        return data


class ExportQuoteForm(Form):
    quantity = IntegerField(_l("Jumlah"), validators=[NumberRange(1, 1_000_000)])
    incoterm = SelectField(_l("Incoterm"), choices=[SelectChoice("FOB", "FOB"), SelectChoice("CIF", "CIF")])
    destination_country = SelectField(_l("Negara tujuan"), validate_choice=False)
    destination_port = StringField(
        _l("Pelabuhan tujuan"),
        validators=[Optional(), Length(max=120)],
        description=_l("wajib untuk CIF, mis. Port Klang"),
    )
    needed_by = DateField(_l("Dibutuhkan paling lambat"))
    description = TextAreaField(
        _l("Pesan untuk kelompok"),
        validators=[Length(min=3, max=2000)],
        description=_l("kemasan, label, sertifikat yang diperlukan"),
    )

    def with_countries(self, countries) -> "ExportQuoteForm":
        self.destination_country.choices = [SelectChoice("", _l("— pilih negara —"))] + [
            SelectChoice(c.code, c.name) for c in countries
        ]
        return self

    def data_for_service(self, product_id: int) -> dict:
        return {
            "product_id": product_id,
            "export": True,
            "quantity": self.quantity.data,
            "incoterm": self.incoterm.data,
            "destination_country": self.destination_country.data,
            "destination_port": self.destination_port.data,
            "needed_by": self.needed_by.data,
            "description": self.description.data,
        }
