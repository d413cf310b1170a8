from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from app.core import place_form
from app.core.forms import Form, choices


class AddToCartForm(Form):
    product_id = HiddenField()
    quantity = IntegerField(_l("Jumlah"), default=1, validators=[DataRequired(), NumberRange(1, 10_000)])


class ForDelivery(DataRequired):
    """Required when some group sends its goods; picked up everywhere (the form's `delivers` is False),
    it may stay empty."""

    def __call__(self, form, field):
        if getattr(form, "delivers", True):
            return super().__call__(form, field)
        if not field.data:
            raise StopValidation()


class CheckoutForm(Form):
    delivers = True  # set from the quote: False when every group's goods are picked up
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = TelField(_l("Nomor HP"), validators=[Optional(), Length(max=30)])
    name = StringField(_l("Nama penerima"), validators=[DataRequired(), Length(max=120)])
    ship_phone = TelField(_l("HP penerima"), validators=[DataRequired(), Length(max=30)])
    street = StringField(_l("Alamat (jalan, nomor, RT/RW)"), validators=[ForDelivery(), Length(max=255)])
    village = StringField(_l("Desa/kelurahan"), validators=[Optional(), Length(max=120)])
    province = place_form.province_field()  # then kabupaten/kota, kecamatan, postal code: app/core/place_form.py
    regency = place_form.regency_field([ForDelivery()])
    district = place_form.district_field([ForDelivery(), Length(max=120)])
    postal_code = StringField(_l("Kode pos"), validators=[ForDelivery(), Length(min=5, max=5)])
    picked = place_form.picked_field()
    payment_method = RadioField(_l("Cara bayar"), default="bank_transfer")  # choices: offer_methods()
    note = TextAreaField(_l("Catatan untuk penjual"), validators=[Optional(), Length(max=500)])
    po_number = StringField(
        _l("Nomor PO Anda (tidak wajib)"),
        validators=[Optional(), Length(max=40)],
        description=_l("Nomor pesanan pembelian dari bagian keuangan Anda: tercetak di pesanan dan invoice."),
    )

    def offer_methods(self, methods, organisation) -> None:
        """The ways to pay this buyer is offered (app/orders/ways_to_pay.py)."""
        self.payment_method.choices = [SelectChoice(m.code, m.label(organisation)) for m in methods]

    def fill_address(self, row) -> None:
        if row is None:
            return
        self.name.data, self.ship_phone.data, self.street.data = row.name, row.phone, row.street
        self.village.data, self.district.data, self.regency.data = row.village, row.district, row.regency_code
        self.province.data = ""  # the kabupaten/kota's
        self.postal_code.data = row.postal_code

    def address(self) -> dict:
        return {
            "name": self.name.data,
            "phone": self.ship_phone.data,
            "street": self.street.data,
            "village": self.village.data,
            "district": self.district.data,
            "regency": self.regency.data,
            "province": self.province.data,
            "postal_code": self.postal_code.data,
        }


class ProofForm(Form):
    file = FileField(_l("Foto bukti transfer"), validators=[FileRequired(_l("Pilih berkas foto."))])


class MoveForm(Form):
    to = HiddenField()
    tracking_number = StringField(_l("Nomor resi"), validators=[Optional(), Length(max=60)])
    reason = StringField(_l("Alasan pembatalan"), validators=[Optional(), Length(max=500)])


class ReviewForm(Form):
    rating = SelectField(
        _l("Nilai"), choices=choices([("5", "★★★★★"), ("4", "★★★★"), ("3", "★★★"), ("2", "★★"), ("1", "★")])
    )
    body = TextAreaField(_l("Ulasan"), validators=[Optional(), Length(max=2000)])


class ReplyForm(Form):
    reply = TextAreaField(_l("Balasan"), validators=[DataRequired(), Length(max=2000)])


class RateForm(Form):
    first_kg_idr = IntegerField(_l("Kilogram pertama (Rp)"), validators=[DataRequired(), NumberRange(0, 10_000_000)])
    next_kg_idr = IntegerField(
        _l("Tiap kilogram berikutnya (Rp)"), validators=[DataRequired(), NumberRange(0, 10_000_000)]
    )


class PayoutForm(Form):
    payout_bank = StringField(_l("Bank"), validators=[DataRequired(), Length(max=60)])
    payout_account_number = StringField(_l("Nomor rekening"), validators=[DataRequired(), Length(max=40)])
    payout_account_name = StringField(_l("Atas nama"), validators=[DataRequired(), Length(max=120)])
