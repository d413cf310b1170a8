"""Permit numbers: how each type is written, checked on entry and normalised for storage."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# type -> (pattern on the normalised number, how it is shown, a hint for the form)
_RULES = {
    "bpom_md": (re.compile(r"^MD\d{12}$"), "MD {d}", _l("MD dan 12 angka, mis. MD 224211001234")),
    "bpom_ml": (re.compile(r"^ML\d{12}$"), "ML {d}", _l("ML dan 12 angka, mis. ML 224211001234")),
    "bpom_na": (re.compile(r"^N[A-Z]\d{11}$"), "{n}", _l("N, satu huruf dan 11 angka, mis. NA18201200123")),
    "pirt": (re.compile(r"^\d{15}$"), "{n}", _l("15 angka, mis. 206647101002925")),
    "halal": (re.compile(r"^ID\d{8,20}$"), "{n}", _l("ID dan angka, mis. ID31110000123450223")),
}

TYPE_LABELS = {
    "bpom_md": _l("BPOM MD"),
    "bpom_ml": _l("BPOM ML"),
    "bpom_na": _l("Notifikasi kosmetik BPOM (NA)"),
    "pirt": _l("SPP-IRT (P-IRT)"),
    "halal": _l("Sertifikat halal"),
}

STATUS_LABELS = {
    "in_process": _l("Dalam proses"),
    "submitted": _l("Diajukan, menunggu verifikasi"),
    "verified": _l("Terverifikasi"),
    "rejected": _l("Ditolak"),
    "expired": _l("Kedaluwarsa"),
}

_PREFIXES = re.compile(r"^(BPOM\s*RI|BPOM|P-?IRT\s*(NO\.?)?|SPP-?IRT\s*(NO\.?)?|NO\.?)\s*", re.I)


def normalise(permit_type: str, raw: str) -> str | None:
    """The stored form of a number, or None when it does not fit the type's format."""
    rule = _RULES.get(permit_type)
    if rule is None:
        return None
    text = (raw or "").strip().upper()
    for _ in range(2):
        text = _PREFIXES.sub("", text)
    compact = re.sub(r"[\s.\-/]", "", text)
    pattern, shown, _hint = rule
    if not pattern.match(compact):
        return None
    return shown.format(d=compact[2:], n=compact)


def hint(permit_type: str) -> str:
    rule = _RULES.get(permit_type)
    return str(rule[2]) if rule else ""


def label(permit_type: str) -> str:
    return str(TYPE_LABELS.get(permit_type, permit_type))
