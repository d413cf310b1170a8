"""Input that no database can hold is refused at the door, in one place for every input path.

- Ids: a row id is a 32-bit integer on PostgreSQL (int4). The `int` URL converter of this app stops
  at MAX_ID, so `/p/2147483648` is a 404 like any other missing thing; ids in bodies, forms and
  query strings go through `id_value` (None when out of range) or the API's `Id` type.
- Control characters: PostgreSQL refuses NUL in text, and no person means one. Every request's
  path, query string, form and JSON body is checked before its view runs: NUL and the other C0
  controls (and DEL) are refused with 422, except tab, CR and LF inside form and JSON text.
"""
from __future__ import annotations

import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
MAX_OFFSET = 100_000

_CONTROL_IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF, CR allowed in text
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")  # a path or a query parameter is one line

# endpoints whose raw body is someone else's signed document
EXEMPT_ENDPOINTS = {"api.stripe_webhook"}


def _at_most(limit: str) -> str:
    """A regular expression for the decimal numbers from 0 to `limit` (no sign, no leading zeros
    beyond the length of the limit): the URL matcher then never sees a larger one at all."""
    options = [r"\d{1,%d}" % (len(limit) - 1)]
    for i, digit in enumerate(limit):
        if digit != "0":
            rest = len(limit) - i - 1
            options.append(limit[:i] + f"[0-{int(digit) - 1}]" + (r"\d{%d}" % rest if rest else ""))
    options.append(limit)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """`<int:id>` that matches 0..MAX_ID only: a larger number is a path that does not exist (404, and
    not 405 for a rule of another method, which is what a converter that refuses later would give)."""

    regex = _at_most(str(MAX_ID))

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_value(raw) -> int | None:
    """A row id from a form or a query string: None unless a whole number 1..MAX_ID."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_ID else None
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def offset_value(raw) -> int:
    """A page offset from a query string: 0..MAX_OFFSET, anything else is 0."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        return 0
    return min(int(text), MAX_OFFSET)


def _strings(value, path: str):
    """Every string in a JSON value, with where it is (keys count as strings too)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def bad_fields() -> dict[str, list[str]]:
    """The fields of this request that hold control characters, with a message each."""
    message = _("Berisi karakter kontrol yang tidak diizinkan.")
    found: dict[str, list[str]] = {}
    if _CONTROL_IN_LINE.search(request.path):
        found["path"] = [message]
    for key, value in request.args.items(multi=True):
        if _CONTROL_IN_LINE.search(key) or _CONTROL_IN_LINE.search(value):
            found.setdefault(_printable(key), [message])
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, value in request.form.items(multi=True):
                if _CONTROL_IN_LINE.search(key) or _CONTROL_IN_BODY.search(value):
                    found.setdefault(_printable(key), [message])
            for key, storage in request.files.items(multi=True):
                if _CONTROL_IN_LINE.search(key) or _CONTROL_IN_LINE.search(storage.filename or ""):
                    found.setdefault(_printable(key), [message])
        elif request.is_json:
            data = request.get_json(silent=True, cache=True)
            for where, value in _strings(data, ""):
                if _CONTROL_IN_BODY.search(value):
                    found.setdefault(_printable(where) or "body", [message])
    return found


def _printable(name: str) -> str:
    return _CONTROL_IN_LINE.sub("?", name)[:100]


def register(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds its rules

    @app.before_request
    def refuse_control_characters():
        if request.endpoint in EXEMPT_ENDPOINTS:
            return None
        found = bad_fields()
        if not found:
            return None
        from .http import is_api, problem

        detail = _("Isian berisi karakter kontrol (mis. NUL) yang tidak diizinkan.")
        if is_api():
            return problem(422, "Invalid values", detail, found)
        return render_template("errors/error.html", status=422, message=detail), 422
