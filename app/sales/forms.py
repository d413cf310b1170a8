from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import Form, SubForm


class SaleLineForm(SubForm):
    product_id = SelectField(_l("Produk"), validate_choice=False)
    name = StringField(_l("atau nama barang"), validators=[Optional(), Length(max=120)])
    quantity = IntegerField(_l("Jumlah"), validators=[Optional(), NumberRange(1, 100_000)])
    amount_idr = IntegerField(_l("Uang diterima (Rp)"), validators=[Optional(), NumberRange(0, 1_000_000_000)])


class SaleForm(Form):
    sold_on = DateField(_l("Tanggal"), validators=[DataRequired()])
    place = StringField(
        _l("Di mana"),
        validators=[Optional(), Length(max=120)],
        description=_l("mis. Pasar Segiri, Bazar HUT Kota, pesanan langsung"),
    )
    event_id = SelectField(
        _l("Di acara"),
        validate_choice=False,
        description=_l("bila terjual di bazar atau pameran yang diikuti kelompok"),
    )
    note = StringField(_l("Catatan"), validators=[Optional(), Length(max=500)])
    reduce_stock = BooleanField(
        _l("Kurangi stok produk di toko online"),
        default=True,
        description=_l("hapus centang bila barang yang terjual tidak diambil dari stok toko online"),
    )
    lines = FieldList(FormField(SaleLineForm), min_entries=4, max_entries=20)

    def with_products(self, products, events=()) -> "SaleForm":
        for entry in self.lines:
            entry.form.product_id.choices = [("", "—")] + [(str(p.id), p.name) for p in products]
        self.event_id.choices = [SelectChoice("", _l("— bukan di acara —"))] + [
            SelectChoice(str(e.id), e.name) for e in events
        ]
        return self

    def fill(self, sale) -> None:
        self.sold_on.data, self.place.data, self.note.data = sale.sold_on, sale.place, sale.note
        self.reduce_stock.data = sale.reduce_stock
        self.event_id.data = str(sale.event_id or "")
        for entry, line in zip(self.lines, sale.lines, strict=False):
            entry.form.product_id.data = str(line.product_id or "")
            entry.form.name.data = "" if line.product_id else line.name
            entry.form.quantity.data, entry.form.amount_idr.data = line.quantity, line.amount_idr

    def data_for_service(self, id_value) -> dict:
        lines = []
        for entry in self.lines:
            f = entry.form
            if f.product_id.data or (f.name.data or "").strip():
                lines.append(
                    {
                        "product_id": id_value(f.product_id.data),
                        "name": f.name.data,
                        "quantity": f.quantity.data,
                        "amount_idr": f.amount_idr.data,
                    }
                )
        return {
            "sold_on": self.sold_on.data,
            "place": self.place.data,
            "note": self.note.data,
            "event_id": id_value(self.event_id.data),
            "reduce_stock": bool(self.reduce_stock.data),
            "lines": lines,
        }


class CorrectionForm(SaleForm):
    reason = StringField(_l("Alasan koreksi"), validators=[DataRequired(), Length(min=3, max=500)])
