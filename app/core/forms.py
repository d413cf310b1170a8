"""Glue between WTForms and services: a service's ValidationFailed lands next to the fields."""

from __future__ import annotations

from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Form as PlainForm
from wtforms import SelectChoice

from .errors import DomainError


def apply_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put each message on its field (price_tiers.0.min_qty -> form.price_tiers[0].min_qty)."""
    placed = False
    for name, messages in exc.errors.items():
        field = _find(form, name)
        if field is not None:
            field.errors = list(field.errors or []) + [str(m) for m in messages]
            placed = True
        else:
            form.form_errors.extend(str(m) for m in messages)
    if not placed and not exc.errors:
        form.form_errors.append(exc.detail or exc.title)


def _find(form, dotted: str):
    node = form
    for part in dotted.split("."):
        try:
            node = node[int(part)] if part.isdigit() else node[part]
        except (KeyError, IndexError, TypeError):
            return None
        if hasattr(node, "form") and not hasattr(node, "entries") and part.isdigit():
            node = node.form
    return node if hasattr(node, "errors") and not hasattr(node, "entries") else None


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# WTForms ships no Indonesian messages; these are the ones our forms can show.
_WTFORMS_ID = {
    "This field is required.": "Wajib diisi.",
    "Not a valid integer value.": "Harus bilangan bulat.",
    "Not a valid date value.": "Tanggal tidak valid (TTTT-BB-HH).",
    "Number must be between %(min)s and %(max)s.": "Harus antara %(min)s dan %(max)s.",
    "Number must be at least %(min)s.": "Paling kecil %(min)s.",
    "Number must be at most %(max)s.": "Paling besar %(max)s.",
    "Field cannot be longer than %(max)d character.": "Paling panjang %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Paling panjang %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": "Panjang %(min)d sampai %(max)d karakter.",
    "Not a valid choice.": "Pilihan tidak valid.",
    "Invalid email address.": "Alamat email tidak valid.",
    "The CSRF token is missing.": "Formulir tidak sah. Muat ulang halaman dan coba lagi.",
    "The CSRF token is invalid.": "Formulir tidak sah. Muat ulang halaman dan coba lagi.",
}


class _Translations:
    """WTForms' own messages: English as shipped, Indonesian from the table above."""

    def gettext(self, string: str) -> str:
        return string if str(get_locale()) == "en" else _WTFORMS_ID.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class _Meta:
    def get_translations(self, form):
        return _Translations()


class Form(FlaskForm):
    """Every page form: CSRF from Flask-WTF, messages in the page's language."""

    class Meta(_Meta):
        pass


class SubForm(PlainForm):
    """A form inside a form (FieldList of FormField): no CSRF of its own."""

    class Meta(_Meta):
        pass


def attempt(call, success: str) -> bool:
    """Run a service call from a form post: flash its success, or its messages (403 and 404 stay errors
    of the page). True when it worked."""
    from flask import flash

    try:
        call()
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(str(m) for ms in exc.errors.values() for m in ms) or exc.detail, "error")
        return False
    flash(success, "success")
    return True


def field_errors(form) -> list[tuple[str, str, str]]:
    """(field id, label, messages) of every field with an error, sub-forms included, in page order."""
    found: list[tuple[str, str, str]] = []

    def walk(fields) -> None:
        for f in fields:
            if hasattr(f, "entries"):  # FieldList
                for entry in f.entries:
                    walk(entry.form if hasattr(entry, "form") else [entry])
                strings = [e for e in (f.errors or []) if isinstance(e, str)]
                if strings:
                    found.append((f.id, str(f.label.text), " ".join(strings)))
            elif f.errors and f.type not in ("CSRFTokenField", "HiddenField"):
                found.append((f.id, str(f.label.text), " ".join(str(e) for e in f.errors)))

    walk(form)
    return found
