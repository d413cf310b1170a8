"""Checks shared by services: e-mail, phone, bounded integers. Each returns a clean value or records
a message under the field's name."""

from __future__ import annotations

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from .errors import collect


def email(value: str | None, errors: dict, field: str = "email") -> str:
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        collect(errors, field, _("Alamat email tidak valid."))
        return ""


def phone(value: str | None, errors: dict, field: str = "phone") -> str | None:
    """An Indonesian or international number, stored as E.164 (+62812…)."""
    if not value or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, "ID")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    collect(errors, field, _("Nomor telepon tidak valid, mis. 0812 3456 7890."))
    return None


def integer(value, errors: dict, field: str, *, low: int, high: int, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            collect(errors, field, _("Wajib diisi."))
        return None
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError):
        collect(errors, field, _("Harus bilangan bulat."))
        return None
    if not low <= number <= high:
        collect(
            errors,
            field,
            _(
                "Harus antara %(low)s dan %(high)s.",
                low=f"{low:,}".replace(",", "."),
                high=f"{high:,}".replace(",", "."),
            ),
        )
        return None
    return number


def date_value(
    value, errors: dict, field: str, *, required: bool = False, not_before=None, too_early: str = ""
) -> date | None:
    """A date from a date or an ISO string (YYYY-MM-DD); with not_before, earlier dates are refused."""
    if value in (None, ""):
        if required:
            collect(errors, field, _("Wajib diisi."))
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            collect(errors, field, _("Tanggal tidak valid (TTTT-BB-HH)."))
            return None
    if not_before is not None and value < not_before:
        collect(errors, field, too_early)
        return None
    return value


def text(value, errors: dict, field: str, *, max_len: int, required: bool = True, min_len: int = 1) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        collect(errors, field, _("Harus berupa teks."))
        return None
    if not value:
        if required:
            collect(errors, field, _("Wajib diisi."))
        return None
    if len(value) < min_len or len(value) > max_len:
        collect(errors, field, _("Panjang %(min)s sampai %(max)s karakter.", min=min_len, max=max_len))
        return None
    return value
