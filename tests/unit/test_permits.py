"""Permit numbers as groups type them, which permits a category takes, and when a permit stops a sale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.catalog import permits
from app.catalog.models import Category, Permit, Product
from app.catalog.permit_changes import clean_permits as _clean_permits
from app.core.timefmt import today_wib

FOOD = Category(slug="amplang", name_id="Amplang & Kerupuk", name_en="Crackers", kind="food")
SOAP = Category(slug="sabun", name_id="Sabun", name_en="Soap", kind="cosmetic")
CRAFT = Category(slug="anyaman", name_id="Anyaman", name_en="Woven craft", kind="craft")


@pytest.mark.parametrize(
    "permit_type, typed, stored",
    [
        ("bpom_md", "MD 224211001234", "MD 224211001234"),
        ("bpom_md", "BPOM RI MD 224211001234", "MD 224211001234"),  # as printed on the pack
        ("bpom_md", "No. BPOM RI MD 224211001234", "MD 224211001234"),
        ("bpom_md", "md-2242.1100.1234", "MD 224211001234"),  # lower case, dots and dashes
        ("bpom_ml", "BPOM ML 224211001234", "ML 224211001234"),
        ("bpom_na", "BPOM NA 18201200123", "NA18201200123"),
        ("pirt", "P-IRT No. 2066472010029-25", "206647201002925"),
        ("pirt", "SPP-IRT NO. 206647201002925", "206647201002925"),
        ("pirt", "2.06.6472.01.0029-25", "206647201002925"),
        ("halal", "ID64110000123450322", "ID64110000123450322"),
    ],
)
def test_a_permit_number_is_stored_in_one_form_however_it_was_typed(permit_type, typed, stored):
    assert permits.normalise(permit_type, typed) == stored


@pytest.mark.parametrize(
    "permit_type, typed",
    [
        ("bpom_md", "ML 224211001234"),  # an ML number entered as MD
        ("bpom_md", "MD 22421100123"),  # eleven digits
        ("bpom_md", "MD 2242110012345"),  # thirteen
        ("bpom_na", "18201200123"),  # the N and its letter left out
        ("pirt", "20664720100292"),  # fourteen digits
        ("halal", "ID 1234567"),  # too short
        ("halal", "64110000123450322"),  # without ID
        ("pirt", ""),
        ("pirt", None),
        ("izin_usaha", "123456789012345"),  # not a type the catalog knows
    ],
)
def test_a_number_that_does_not_fit_its_type_is_refused(permit_type, typed):
    assert permits.normalise(permit_type, typed) is None


def test_a_bpom_number_with_the_wrong_prefix_is_refused_with_the_expected_format():
    errors = {}
    assert _clean_permits([{"type": "bpom_md", "number": "ML 224211001234"}], FOOD, errors) == []
    assert errors == {"permits.0.number": ["Format nomor tidak sesuai: MD dan 12 angka, mis. MD 224211001234."]}


def test_soap_with_a_food_permit_is_told_to_use_a_cosmetic_notification():
    errors = {}
    assert _clean_permits([{"type": "pirt", "number": "206647201002925"}], SOAP, errors) == []
    assert errors == {
        "permits.0.type": ["Sabun dan kosmetik memakai nomor notifikasi kosmetik BPOM (NA…), bukan MD/ML atau P-IRT."]
    }


def test_a_cosmetic_notification_on_food_is_refused():
    errors = {}
    _clean_permits([{"type": "bpom_na", "number": "NA18201200123"}], FOOD, errors)
    assert errors == {"permits.0.type": ["Nomor notifikasi kosmetik (NA…) hanya untuk kosmetik seperti sabun."]}


def test_a_craft_takes_no_permit():
    errors = {}
    _clean_permits([{"type": "halal", "number": "ID64110000123450322"}], CRAFT, errors)
    assert errors == {"permits.0.type": ["Jenis izin ini tidak berlaku untuk kategori Anyaman."]}


def test_food_keeps_its_pirt_and_halal_certificate():
    errors = {}
    clean = _clean_permits(
        [
            {"type": "pirt", "number": "P-IRT 2066472010029-25", "expires_on": "2030-01-31"},
            {"type": "halal", "number": "ID64110000123450322", "status": "in_process"},
        ],
        FOOD,
        errors,
    )
    assert errors == {}
    assert clean == [
        {"type": "pirt", "number": "206647201002925", "status": "submitted", "expires_on": date(2030, 1, 31)},
        {"type": "halal", "number": "ID64110000123450322", "status": "in_process"},
    ]


def test_a_permit_cannot_expire_before_it_was_issued():
    errors = {}
    _clean_permits(
        [{"type": "pirt", "number": "206647201002925", "issued_on": "2026-05-01", "expires_on": "2026-05-01"}],
        FOOD,
        errors,
    )
    assert errors == {"permits.0.expires_on": ["Tanggal berlaku harus setelah tanggal terbit."]}


def test_the_same_permit_listed_twice_is_refused():
    errors = {}
    _clean_permits(
        [{"type": "pirt", "number": "206647201002925"}, {"type": "pirt", "number": "P-IRT 2066472010029-25"}],
        FOOD,
        errors,
    )
    assert errors == {"permits": ["Izin yang sama tercantum dua kali."]}


def test_a_group_cannot_mark_its_own_permit_expired():
    errors = {}
    _clean_permits([{"type": "pirt", "number": "206647201002925", "status": "expired"}], FOOD, errors)
    assert list(errors) == ["permits.0.status"]


def test_the_form_hint_and_label_of_each_permit_type():
    assert permits.hint("pirt") == "15 angka, mis. 206647101002925"
    assert permits.label("bpom_na") == "Notifikasi kosmetik BPOM (NA)"
    assert (permits.hint("izin_usaha"), permits.label("izin_usaha")) == ("", "izin_usaha")


# ---------------------------------------------------------------- when a permit lets a product be sold


def _product(category, *permit_rows):
    return Product(
        name="Amplang",
        category=category,
        status="active",
        hidden=False,
        permits=[Permit(type=t, number="x", status=s, expires_on=e) for t, s, e in permit_rows],
    )


def _days(n):
    return today_wib() + timedelta(days=n)


def test_a_permit_past_its_date_shows_as_expired_without_any_job():
    assert Permit(type="pirt", status="verified", expires_on=_days(-1)).effective_status == "expired"
    assert Permit(type="pirt", status="verified", expires_on=_days(0)).effective_status == "verified"  # its last day
    assert Permit(type="pirt", status="verified", expires_on=None).effective_status == "verified"
    assert Permit(type="pirt", status="rejected", expires_on=_days(-1)).effective_status == "rejected"


def test_food_whose_pirt_ran_out_cannot_be_bought():
    product = _product(FOOD, ("pirt", "verified", _days(-3)))
    assert product.lapsed_permit is product.permits[0]


def test_a_halal_certificate_alone_does_not_keep_food_on_sale():
    product = _product(FOOD, ("pirt", "rejected", None), ("halal", "verified", None))
    assert product.lapsed_permit.type == "pirt"


def test_a_valid_bpom_md_keeps_food_on_sale_when_its_old_pirt_ran_out():
    product = _product(FOOD, ("pirt", "verified", _days(-3)), ("bpom_md", "verified", _days(300)))
    assert product.lapsed_permit is None


def test_a_permit_still_waiting_for_an_officer_does_not_stop_a_sale():
    assert _product(FOOD, ("pirt", "submitted", None)).lapsed_permit is None
    assert _product(FOOD).lapsed_permit is None  # only a permit that ran out or was refused stops one


def test_export_listing_lasts_as_long_as_the_longest_verified_required_permit():
    product = _product(
        FOOD, ("pirt", "verified", _days(30)), ("bpom_md", "verified", _days(400)), ("halal", "verified", None)
    )
    assert product.export_valid_until() == _days(400)
    assert _product(FOOD, ("pirt", "submitted", _days(30))).export_valid_until() is None
    assert _product(CRAFT).export_valid_until() == date.max  # crafts need no permit


def test_a_permit_without_expiry_counts_as_valid_for_ever():
    product = _product(FOOD, ("pirt", "verified", None))
    product.export_ready = True
    product.refresh_permit_validity()
    assert (product.permit_valid_until, product.export_until) == (date.max, date.max)
    assert product.is_export_ready
