"""Export listings: HS codes as customs write them and selling units as an importer reads them."""

from __future__ import annotations

import pytest

from app.export.services import hs_code, unit_in_english


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("1905.90", "1905.90"),  # 6 digits, the international code
        ("190590", "1905.90"),
        ("1905.90.90", "1905.90.90"),  # Indonesia's 8 digits (BTKI)
        ("19059090", "1905.90.90"),
        (" 1905 90 90 ", "1905.90.90"),
        ("0106.90", "0106.90"),  # chapter 01
    ],
)
def test_an_hs_code_is_written_back_with_its_dots(typed, stored):
    errors = {}
    assert hs_code(typed, errors) == stored
    assert errors == {}


@pytest.mark.parametrize(
    "typed",
    ["1905", "1905.9", "1905.90.9", "0012.34", "9801.00", "7701.10", "19a5.90"],
    ids=["4-digits", "5-digits", "7-digits", "chapter-00", "chapter-98", "chapter-77-reserved", "a-letter"],
)
def test_an_hs_code_customs_would_not_know_is_refused(typed):
    errors = {}
    assert hs_code(typed, errors) is None
    assert errors == {"hs_code": ["Kode HS ditulis 6 atau 8 angka, mis. 1905.90 atau 1905.90.90 (bab 01 sampai 97)."]}


def test_no_hs_code_is_no_error_here():
    errors = {}
    assert hs_code("", errors) is None and hs_code(None, errors) is None
    assert errors == {}


@pytest.mark.parametrize(
    "unit, english",
    [
        ("bungkus", "pack"),
        ("Toples", "jar"),
        (" botol ", "bottle"),
        ("ikat", "bundle"),
        ("tampah", "tampah"),  # unknown: as the group wrote it
    ],
)
def test_a_selling_unit_in_english(unit, english):
    assert unit_in_english(unit) == english
