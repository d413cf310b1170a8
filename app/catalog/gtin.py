"""A product's GTIN (the number under its barcode: EAN-13, UPC-A or EAN-8), checked with python-stdnum."""

from __future__ import annotations

from flask_babel import gettext as _
from stdnum import ean
from stdnum.exceptions import InvalidChecksum, InvalidFormat, ValidationError

from app.core.errors import collect

LENGTHS = (8, 12, 13)  # EAN-8, UPC-A, EAN-13 (a GTIN-14 marks cartons, not the packs a group sells)


def clean(value, errors: dict, field: str = "gtin") -> str | None:
    """The GTIN's digits (spaces and dashes dropped), None when left empty; a wrong one is named in errors."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        collect(errors, field, _("GTIN harus berupa angka."))
        return None
    number = ean.compact(str(value))
    try:
        number = ean.validate(number)
        if len(number) not in LENGTHS:
            raise ValidationError
        return number
    except InvalidChecksum:
        collect(
            errors, field, _("Angka pemeriksa GTIN %(gtin)s salah: periksa lagi angka di bawah barcode.", gtin=number)
        )
    except InvalidFormat:
        collect(errors, field, _("GTIN hanya berisi angka."))
    except ValidationError:
        collect(errors, field, _("GTIN harus 8, 12 atau 13 angka (EAN-8, UPC-A, EAN-13)."))
    return None
