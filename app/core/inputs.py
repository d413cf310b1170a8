"""Input that no database can hold is refused at the door, in one place for every input path.

- Ids: a row id is a 32-bit integer on PostgreSQL (int4). The `int` URL converter of this app stops
  at MAX_ID, so `/p/2147483648` is a 404 like any other missing thing; ids in bodies, forms and
  query strings go through `id_value` (None when out of range) or the API's `Id` type.
- Control characters: PostgreSQL refuses NUL in text, and no person means one. Every request's
  path, query string, form and JSON body is checked before its view runs: NUL and the other C0
  controls (and DEL) are refused with 422, except tab, CR and LF inside form and JSON text.
- JSON nested deeper than MAX_JSON_DEPTH (no body of this API is deeper than a few levels) is refused
  with 400 before anything parses it recursively (Python's parser raises RecursionError near 1,000).
- Links built from the query string (pagers, the category shortcut) never pass url_for's own
  arguments (`_method`, `_scheme`, `_external`, `_anchor`, …) or `endpoint` on: `link_args()`.
"""

from __future__ import annotations

import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from .http import is_api, problem

MAX_ID = 2**31 - 1
MAX_OFFSET = 100_000
MAX_JSON_DEPTH = 32

_CONTROL_IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF, CR allowed in text
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")  # a path or a query parameter is one line

# endpoints whose raw body is someone else's signed document
EXEMPT_ENDPOINTS = {"api.stripe_webhook", "api.iris_notification"}


def _at_most(limit: str) -> str:
    """A regular expression for the decimal numbers from 0 to `limit` (no sign, no leading zeros
    beyond the length of the limit): the URL matcher then never sees a larger one at all."""
    options = [rf"\d{{1,{len(limit) - 1}}}"]
    for i, digit in enumerate(limit):
        if digit != "0":
            rest = len(limit) - i - 1
            options.append(limit[:i] + f"[0-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    options.append(limit)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """`<int:id>` that matches 0..MAX_ID only: a larger number is a path that does not exist (404, and
    not 405 for a rule of another method, which is what a converter that refuses later would give)."""

    regex = _at_most(str(MAX_ID))

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
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


class TooDeep(ValueError):
    """A JSON body nested deeper than MAX_JSON_DEPTH."""


def _strings(value, path: str):
    """Every string in a JSON value, with where it is (keys count as strings too); walked without
    recursion, and TooDeep past MAX_JSON_DEPTH levels of arrays and objects."""
    stack = [(path, value, 0)]
    while stack:
        where, item, depth = stack.pop()
        if isinstance(item, str):
            yield where, item
            continue
        if isinstance(item, (dict, list)) and depth >= MAX_JSON_DEPTH:
            raise TooDeep()
        if isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                at = f"{where}.{key}" if where else str(key)
                stack.append((at, inner, depth + 1))
                stack.append((at, str(key), depth + 1))
        elif isinstance(item, list):
            for index in reversed(range(len(item))):
                stack.append((f"{where}.{index}" if where else str(index), item[index], depth + 1))


def link_args(**overrides) -> dict:
    """The query string, for a link to another page of the same listing (a pager): without url_for's
    own arguments (`_external`, `_scheme`, `_method`, `_anchor`, … any name starting with `_`) and
    `endpoint`, which a visitor could otherwise pass into url_for (a link to another scheme or host,
    or a 500)."""
    args = {k: v for k, v in request.args.items() if not k.startswith("_") and k != "endpoint"}
    args.update(overrides)
    return args


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
            for key, value in request.form.items(multi=True):  # a malformed part may carry no value
                if _CONTROL_IN_LINE.search(key or "") or _CONTROL_IN_BODY.search(value or ""):
                    found.setdefault(_printable(key), [message])
            for key, storage in request.files.items(multi=True):
                if _CONTROL_IN_LINE.search(key) or _CONTROL_IN_LINE.search(storage.filename or ""):
                    found.setdefault(_printable(key), [message])
        elif request.is_json:
            try:
                data = request.get_json(silent=True, cache=True)
            except RecursionError:  # Python's parser gives up near 1,000 levels
                raise TooDeep() from None
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

        try:
            found = bad_fields()
        except TooDeep:
            detail = _("Isi JSON bersarang terlalu dalam (paling dalam %(n)s tingkat).", n=MAX_JSON_DEPTH)
            if is_api():
                return problem(400, "Malformed request", detail)
            return render_template("errors/error.html", status=400, message=detail), 400
        if not found:
            return None
        detail = _("Isian berisi karakter kontrol (mis. NUL) yang tidak diizinkan.")
        if is_api():
            return problem(422, "Invalid values", detail, found)
        return render_template("errors/error.html", status=422, message=detail), 422
