"""Provinces, kabupaten/kota and kecamatan by their Kemendagri codes; the time zone of each province;
an address checked against them."""

from __future__ import annotations

import pytest

from app.core import regions
from app.orders.checkout import clean_address


def test_all_thirty_eight_provinces_are_listed_with_papuas_new_ones():
    names = {p.code: p.name for p in regions.provinces()}
    assert len(names) == 38
    assert names["93"] == "Papua Selatan" and names["96"] == "Papua Barat Daya"


@pytest.mark.parametrize(
    "code, name",
    [
        ("31", "DKI Jakarta"),  # the abbreviation stays upper case
        ("34", "Daerah Istimewa Yogyakarta"),
        ("19", "Kepulauan Bangka Belitung"),
        ("64.72", "Kota Samarinda"),
        ("73.10", "Kabupaten Pangkajene dan Kepulauan"),  # "dan" in lower case
    ],
)
def test_names_are_written_as_people_write_them(code, name):
    assert (regions.province_name(code) or regions.regency_name(code)) == name


@pytest.mark.parametrize("code", ["", None, "99", "64.99", "64.72.01"])
def test_an_unknown_code_has_no_name(code):
    assert regions.province_name(code) == "" and regions.regency_name(code) == ""
    assert regions.province(code) is None and regions.regency(code) is None


def test_a_province_lists_its_kabupaten_and_kota_and_a_kota_its_kecamatan():
    kaltim = regions.regencies_of("64")
    assert len(kaltim) == 10 and {r.province_code for r in kaltim} == {"64"}
    assert "Kota Balikpapan" in {r.name for r in kaltim}
    assert "Samarinda Ulu" in {d.name for d in regions.districts_of("64.72")}
    assert regions.regencies_of("99") == () and regions.districts_of("64.99") == []


def test_every_kecamatan_has_the_postal_codes_of_its_villages():
    assert regions.postal_codes_of("64.72.03") == ("75122", "75123", "75124", "75128")  # Samarinda Ulu
    assert regions.postal_codes_of("32.73.02") == ("40131", "40132", "40133", "40134", "40135")  # Coblong
    every = [d for p in regions.provinces() for r in p.regencies for d in regions.districts_of(r.code)]
    assert len(every) == 7277 and all(regions.postal_codes_of(d.code) for d in every)
    assert all(len(c) == 5 and c.isdigit() for d in every for c in regions.postal_codes_of(d.code))
    assert regions.district_named("64.72", "SAMARINDA ulu") == regions.district("64.72.03")
    assert regions.district_named("64.72", "64.72.03").name == "Samarinda Ulu"
    assert regions.district_named("64.72", "Coblong") is None and regions.district("64.99.01") is None


@pytest.mark.parametrize(
    "province, zone",
    [
        ("31", "WIB"),  # Jakarta
        ("61", "WIB"),  # Kalimantan Barat
        ("62", "WIB"),  # Kalimantan Tengah
        ("64", "WITA"),  # Kalimantan Timur
        ("51", "WITA"),  # Bali
        ("53", "WITA"),  # Nusa Tenggara Timur
        ("73", "WITA"),  # Sulawesi Selatan
        ("81", "WIT"),  # Maluku
        ("96", "WIT"),  # Papua Barat Daya
        (None, "WIB"),  # unknown: the capital's time
    ],
)
def test_times_are_shown_in_the_provinces_own_zone(province, zone):
    assert regions.zone_of(province) == zone


def test_every_province_is_in_one_of_the_three_zones():
    assert {p.zone for p in regions.provinces()} == {"WIB", "WITA", "WIT"}
    assert set(regions.ZONES) == {"WIB", "WITA", "WIT"}


# ---------------------------------------------------------------- a delivery address

ADDRESS = {
    "name": "Siti Aminah",
    "phone": "0812 3456 7890",
    "street": "Jl. Pahlawan No. 5",
    "district": "samarinda ulu",
    "regency": "64.72",
    "province": "64",
    "postal_code": "75124",
}


def test_a_good_address_is_stored_with_codes_the_official_kecamatan_name_and_an_e164_phone():
    errors = {}
    out = clean_address(ADDRESS, errors)
    assert errors == {}
    assert (out["ship_regency_code"], out["ship_province_code"]) == ("64.72", "64")
    assert out["ship_district"] == "Samarinda Ulu"
    assert out["ship_phone"] == "+6281234567890"
    assert out["ship_postal_code"] == "75124"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"district": "Coblong"}, "district", "Kecamatan ini tidak ada di Kota Samarinda."),  # a Bandung kecamatan
        (
            {"province": "35"},
            "province",
            "Kota Samarinda tidak berada di Provinsi Jawa Timur: pilih kabupaten/kota lagi.",
        ),
        (
            {"postal_code": "40131"},  # Bandung's
            "postal_code",
            "Kode pos 40131 bukan kode pos Kecamatan Samarinda Ulu (75122, 75123, 75124, 75128).",
        ),
        ({"regency": "64.99"}, "regency", "Pilih kabupaten/kota dari daftar."),
        ({"postal_code": "7512"}, "postal_code", "Kode pos 5 angka."),
        ({"postal_code": "75l24"}, "postal_code", "Kode pos 5 angka."),
        ({"phone": ""}, "phone", "Wajib diisi."),
        ({"phone": "0812"}, "phone", "Nomor telepon tidak valid, mis. 0812 3456 7890."),
    ],
)
def test_a_wrong_address_is_refused_on_the_field_to_fix(change, field, message):
    errors = {}
    clean_address(dict(ADDRESS, **change), errors)
    assert errors == {f"shipping_address.{field}": [message]}
