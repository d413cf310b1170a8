"""The address picker of the pages, without script: a province select and "Lanjut", then the kabupaten/kota
of that province, then its kecamatan, then a postal code of that kecamatan (templates/_place.html).

A form that uses it has the fields `province`, `regency`, `district`, `picked` (hidden: the levels the
lists on the page were made for) and, where a postal code is asked, `postal_code`. Each post of the form
keeps whatever else was typed, since the whole form is sent.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField

from . import places, regions

MOVE = "region"  # the value of the "Lanjut" button (name="action")


def province_field(label=_l("Provinsi")) -> SelectField:
    return SelectField(label, validate_choice=False)


def regency_field(validators=(), label=_l("Kabupaten/kota")) -> SelectField:
    return SelectField(label, validators=list(validators), validate_choice=False)


def district_field(validators=(), label=_l("Kecamatan")) -> SelectField:
    return SelectField(label, validators=list(validators), validate_choice=False)


def picked_field() -> HiddenField:
    return HiddenField()


def _data(field) -> str:
    return str(field.data or "").strip() if field is not None else ""


def read(form, *, moving: bool = False) -> tuple[places.Place, dict[str, str]]:
    """The place the form names, its lists filled for the next step, and the wrong pairs (field -> message).

    `moving`: the buyer pressed "Lanjut". A level under one she changed since the page was shown is then
    dropped quietly, to be picked again from the new list; otherwise a level that does not belong to the
    one above it is an error (places.pick), shown where it is first seen."""
    postal = getattr(form, "postal_code", None)
    values = [_data(form.province), _data(form.regency), _data(form.district), _data(postal)]
    if moving:
        shown = (_data(form.picked).split("|") + ["", "", ""])[:3]
        for level in range(3):  # province, regency, district: a change empties the levels below it
            if values[level] != shown[level]:
                values[level + 1 :] = [""] * (3 - level)
                break
    place, wrong = places.pick(*values)
    if place.district is not None and not place.postal_code and len(place.postal_codes) == 1:
        place = places.Place(place.province, place.regency, place.district, place.postal_codes[0])  # no choice
    _fill(form, place, values[3] if "postal_code" in wrong else place.postal_code)
    return place, wrong


def _fill(form, place: places.Place, postal_text: str) -> None:
    form.province.data = place.province.code if place.province else ""
    form.regency.data = place.regency.code if place.regency else ""
    form.district.data = place.district.name if place.district else ""
    if getattr(form, "postal_code", None) is not None:
        form.postal_code.data = postal_text
    form.picked.data = "|".join([form.province.data, form.regency.data, form.district.data])
    form.province.choices = [SelectChoice("", _l("— pilih provinsi —"))] + [
        SelectChoice(p.code, p.name) for p in regions.provinces()
    ]
    form.regency.choices = [SelectChoice("", _l("— pilih kabupaten/kota —"))] + [
        SelectChoice(r.code, r.name) for r in (place.province.regencies if place.province else ())
    ]
    form.district.choices = [SelectChoice("", _l("— pilih kecamatan —"))] + [
        SelectChoice(d.name, d.name) for d in (regions.districts_of(place.regency.code) if place.regency else ())
    ]


def show(form, wrong: dict[str, str]) -> None:
    """Each wrong pair's message on its field (once)."""
    for name, message in wrong.items():
        field = getattr(form, name, None)
        if field is not None and message not in field.errors:
            field.errors = list(field.errors or []) + [message]
