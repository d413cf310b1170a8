"""A place picked level by level: province, kabupaten/kota, kecamatan, then a postal code of that kecamatan.

Each level is checked against the one above it, so that a wrong pair is refused where it is first seen
(the checkout page's "Lanjut" and "Hitung ongkir", the API), with a message on the field to fix; a level
whose parent does not hold it is dropped, and what hangs below it is not judged until it is picked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from . import regions

SHOWN_CODES = 12  # at most this many postal codes are listed in a message (and offered as choices)


@dataclass(frozen=True)
class Place:
    province: regions.Province | None = None
    regency: regions.Regency | None = None
    district: regions.District | None = None
    postal_code: str = ""  # five digits when it passed, else as typed (an error says why)

    @property
    def postal_codes(self) -> tuple[str, ...]:
        """The postal codes of the chosen kecamatan (empty before one is chosen, or where the data has none)."""
        return regions.postal_codes_of(self.district.code) if self.district else ()

    @property
    def postal_choices(self) -> tuple[str, ...]:
        """Offered as choices when there are few; with more, the postal code is typed and checked against them."""
        codes = self.postal_codes
        return codes if len(codes) <= SHOWN_CODES else ()

    @property
    def province_code(self) -> str | None:
        return self.province.code if self.province else None

    @property
    def step(self) -> str:
        """What is to be picked next: province, regency, district, postal_code, or done."""
        if self.province is None:
            return "province"
        if self.regency is None:
            return "regency"
        if self.district is None:
            return "district"
        return "postal_code" if not self.postal_code else "done"


def pick(
    province: str | None = None, regency: str | None = None, district: str | None = None, postal_code: str | None = None
) -> tuple[Place, dict[str, str]]:
    """The place these codes and names name, and a message per field where a level does not belong to the
    one above it. The province may be left out (the kabupaten/kota's is taken); the kecamatan is a name
    (any case) or a code."""
    errors: dict[str, str] = {}
    prov = regions.province(province.strip()) if province and province.strip() else None
    if province and province.strip() and prov is None:
        errors["province"] = _("Pilih provinsi dari daftar.")
    reg = regions.regency(regency.strip()) if regency and regency.strip() else None
    if regency and regency.strip() and reg is None:
        errors["regency"] = _("Pilih kabupaten/kota dari daftar.")
    elif reg is not None and prov is not None and reg.province_code != prov.code:
        errors["province"] = _(
            "%(regency)s tidak berada di Provinsi %(province)s: pilih kabupaten/kota lagi.",
            regency=reg.name,
            province=prov.name,
        )
        reg = None
    elif reg is not None and prov is None and "province" not in errors:
        prov = regions.province(reg.province_code)
    dist = _district(reg, district, errors)
    postal = _postal_code(dist, postal_code, errors)
    return Place(prov, reg, dist, postal), errors


def _district(reg: regions.Regency | None, name: str | None, errors: dict[str, str]) -> regions.District | None:
    if reg is None or not (name or "").strip():
        return None
    found = regions.district_named(reg.code, name)
    if found is None:
        errors["district"] = _("Kecamatan ini tidak ada di %(r)s.", r=reg.name)
    return found


def _postal_code(dist: regions.District | None, typed: str | None, errors: dict[str, str]) -> str:
    postal = str(typed or "").strip()
    if not postal:
        return ""
    if not (len(postal) == 5 and postal.isascii() and postal.isdigit()):
        errors["postal_code"] = _("Kode pos 5 angka.")
        return postal
    known = regions.postal_codes_of(dist.code) if dist else ()
    if known and postal not in known:
        listed = ", ".join(known[:SHOWN_CODES]) + (" …" if len(known) > SHOWN_CODES else "")
        errors["postal_code"] = _(
            "Kode pos %(code)s bukan kode pos Kecamatan %(district)s (%(codes)s).",
            code=postal,
            district=dist.name if dist else "",
            codes=listed,
        )
    return postal
