"""The ways to pay as words (registered in core.labels by the payments area)."""

from flask_babel import lazy_gettext as _l

PAYMENT_METHOD = {
    "bank_transfer": _l("Transfer bank"),
    "stripe": _l("Kartu"),
    "invoice": _l("Invoice bertempo"),
    "at_stand": _l("Bayar di stan"),
    "qris": _l("QRIS"),
    "va_bca": _l("Virtual account BCA"),
    "va_bni": _l("Virtual account BNI"),
    "va_bri": _l("Virtual account BRI"),
    "va_mandiri": _l("Mandiri Bill Payment"),
    "va_permata": _l("Virtual account Permata"),
    "gopay": _l("GoPay"),
    "shopeepay": _l("ShopeePay"),
}
