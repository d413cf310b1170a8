"""Provinces, kabupaten/kota and kecamatan of Indonesia, with their Kemendagri codes, and the postal codes
of each kecamatan.

Data: the `idn-area-data` package's CSV files and a kode pos table (see data/regions/SOURCE.md). Loaded
once, lazily.
Province codes look like "64" (Kalimantan Timur), regency codes "64.72" (Kota Samarinda),
district codes "64.72.01".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "regions"

# Words kept upper case when the all-caps source names are turned into title case.
_KEEP_UPPER = {"DKI", "DI"}
_KEEP_LOWER = {"DAN"}

# Time zones by province code: WIT in Maluku and Papua, WITA in Bali, Nusa Tenggara,
# Kalimantan Selatan/Timur/Utara and Sulawesi; WIB elsewhere.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def _title(name: str) -> str:
    out = []
    for i, word in enumerate(name.split()):
        if word in _KEEP_UPPER:
            out.append(word)
        elif word in _KEEP_LOWER and i:
            out.append(word.lower())
        else:
            out.append(word.capitalize())
    return " ".join(out)


@dataclass(frozen=True)
class Regency:
    code: str
    province_code: str
    name: str


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    regencies: tuple[Regency, ...] = field(default=())

    @property
    def zone(self) -> str:
        return zone_of(self.code)


@dataclass(frozen=True)
class District:
    code: str
    regency_code: str
    name: str


def _rows(name: str):
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Province], dict[str, Regency]]:
    regencies: dict[str, Regency] = {}
    by_province: dict[str, list[Regency]] = {}
    for row in _rows("regencies.csv"):
        reg = Regency(row["code"], row["province_code"], _title(row["name"]))
        regencies[reg.code] = reg
        by_province.setdefault(reg.province_code, []).append(reg)
    provinces = {
        row["code"]: Province(row["code"], _title(row["name"]), tuple(by_province.get(row["code"], ())))
        for row in _rows("provinces.csv")
    }
    return provinces, regencies


@lru_cache(maxsize=1)
def _districts() -> dict[str, list[District]]:
    out: dict[str, list[District]] = {}
    for row in _rows("districts.csv"):
        out.setdefault(row["regency_code"], []).append(District(row["code"], row["regency_code"], row["name"]))
    return out


def provinces() -> list[Province]:
    return list(_index()[0].values())


def province(code: str | None) -> Province | None:
    return _index()[0].get(code or "")


def regency(code: str | None) -> Regency | None:
    return _index()[1].get(code or "")


def regencies_of(province_code: str) -> tuple[Regency, ...]:
    p = province(province_code)
    return p.regencies if p else ()


def districts_of(regency_code: str) -> list[District]:
    return _districts().get(regency_code, [])


def district(code: str | None) -> District | None:
    """A kecamatan by its code ("64.72.03")."""
    code = code or ""
    return next((d for d in districts_of(code.rsplit(".", 1)[0]) if d.code == code), None)


def district_named(regency_code: str, name: str | None) -> District | None:
    """A kecamatan of the kabupaten/kota by its name (any case) or its code."""
    wanted = (name or "").strip().lower()
    return next((d for d in districts_of(regency_code) if wanted in (d.name.lower(), d.code)), None) if wanted else None


@lru_cache(maxsize=1)
def _postal_codes() -> dict[str, tuple[str, ...]]:
    return {row["district_code"]: tuple(row["postal_codes"].split()) for row in _rows("postal_codes.csv")}


def postal_codes_of(district_code: str) -> tuple[str, ...]:
    """The postal codes of the kelurahan/desa of a kecamatan, sorted (empty when the data has none)."""
    return _postal_codes().get(district_code, ())


def province_name(code: str | None) -> str:
    p = province(code)
    return p.name if p else ""


def regency_name(code: str | None) -> str:
    r = regency(code)
    return r.name if r else ""


class InRegion:
    """For models with province_code and regency_code columns: their names."""

    province_code: str
    regency_code: str

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    @property
    def regency_name(self) -> str:
        return regency_name(self.regency_code)


def zone_of(province_code: str | None) -> str:
    if province_code in _WIT:
        return "WIT"
    if province_code in _WITA:
        return "WITA"
    return "WIB"
