"""Unit prices, wholesale tiers and the price check that puts dear products before an officer."""

from __future__ import annotations

import pytest

from app.catalog import prices
from app.catalog.models import PriceTier, Product
from app.catalog.products import MAX_TIERS, _clean_tiers
from app.core.errors import Conflict, ValidationFailed
from app.officers.decisions import _decision


def amplang(price=25_000, tiers=((10, 23_000), (50, 21_000)), status="active"):
    """A pack of amplang at the list price, with its wholesale tiers (by minimum quantity, as loaded)."""
    return Product(
        name="Amplang Ikan Pipih",
        price_idr=price,
        status=status,
        tiers=[PriceTier(min_qty=q, unit_price_idr=p) for q, p in tiers],
    )


@pytest.mark.parametrize(
    "quantity, unit_price",
    [
        (1, 25_000),  # one pack: the list price
        (9, 25_000),  # just short of the first tier
        (10, 23_000),  # the 10+ tier
        (49, 23_000),
        (50, 21_000),  # a hotel buying 50 packs pays the 50+ price
        (10_000, 21_000),
    ],
)
def test_a_buyer_pays_the_best_tier_the_quantity_reaches(quantity, unit_price):
    assert amplang().unit_price_for(quantity) == unit_price


def test_a_product_without_tiers_always_sells_at_its_list_price():
    product = amplang(tiers=())
    assert [product.unit_price_for(q) for q in (1, 50, 500)] == [25_000, 25_000, 25_000]


def test_tiers_are_kept_in_order_of_quantity_whatever_order_they_were_typed_in():
    errors = {}
    tiers = _clean_tiers(
        [{"min_qty": "50", "unit_price_idr": "21000"}, {"min_qty": 10, "unit_price_idr": 23000}], 25_000, errors
    )
    assert errors == {}
    assert tiers == [(10, 23_000), (50, 21_000)]


@pytest.mark.parametrize(
    "raw",
    [
        [{"min_qty": 10, "unit_price_idr": 25_000}],  # no cheaper than buying one
        [{"min_qty": 10, "unit_price_idr": 26_000}],  # dearer than buying one
        [{"min_qty": 10, "unit_price_idr": 21_000}, {"min_qty": 50, "unit_price_idr": 23_000}],  # more buys cost more
        [
            {"min_qty": 10, "unit_price_idr": 23_000},
            {"min_qty": 50, "unit_price_idr": 23_000},
        ],  # a tier that saves nothing
    ],
)
def test_a_tier_must_be_cheaper_than_the_list_price_and_the_tier_before(raw):
    errors = {}
    _clean_tiers(raw, 25_000, errors)
    assert errors["price_tiers"] == ["Harga grosir harus lebih murah dari harga satuan dan dari tingkat sebelumnya."]


def test_two_tiers_for_the_same_quantity_are_refused():
    errors = {}
    _clean_tiers([{"min_qty": 10, "unit_price_idr": 23_000}, {"min_qty": 10, "unit_price_idr": 22_000}], 25_000, errors)
    assert "Dua harga grosir memakai jumlah minimum yang sama." in errors["price_tiers"]


@pytest.mark.parametrize(
    "row, field, message",
    [
        ({"min_qty": 1, "unit_price_idr": 20_000}, "price_tiers.0.min_qty", "Harus antara 2 dan 1.000.000."),
        ({"min_qty": "sepuluh", "unit_price_idr": 20_000}, "price_tiers.0.min_qty", "Harus bilangan bulat."),
        ({"min_qty": 10, "unit_price_idr": 50}, "price_tiers.0.unit_price_idr", "Harus antara 100 dan 1.000.000.000."),
        ({"min_qty": 10}, "price_tiers.0.unit_price_idr", "Wajib diisi."),
    ],
)
def test_a_tier_names_the_field_that_is_wrong(row, field, message):
    errors = {}
    assert _clean_tiers([row], 25_000, errors) == []
    assert errors == {field: [message]}


def test_at_most_five_tiers():
    errors = {}
    raw = [{"min_qty": 10 * (i + 1), "unit_price_idr": 24_000 - 1_000 * i} for i in range(MAX_TIERS + 1)]
    assert _clean_tiers(raw, 25_000, errors) == []
    assert errors == {"price_tiers": ["Paling banyak 5 harga grosir."]}


def test_a_draft_is_never_put_before_an_officer_whatever_its_price():
    assert prices.check(amplang(price=900_000_000, tiers=(), status="draft")) is None


def test_prices_up_to_two_million_rupiah_are_not_checked():
    # no limit is looked up (no database here): at or below the floor nothing is checked
    assert prices.check(amplang(price=prices.PRICE_FLOOR_IDR, tiers=())) is None


def test_the_limit_is_twenty_times_what_other_groups_ask(monkeypatch):
    monkeypatch.setattr(prices, "median_elsewhere", lambda product: 150_000)
    assert prices.limit_for(amplang()) == (3_000_000, 150_000)


@pytest.mark.parametrize("median", [None, 0, 25_000])
def test_the_limit_never_falls_below_two_million(monkeypatch, median):
    monkeypatch.setattr(prices, "median_elsewhere", lambda product: median)
    assert prices.limit_for(amplang()) == (2_000_000, median)


def test_an_officer_refusing_a_price_must_say_why_and_accepting_needs_no_reason():
    assert _decision("accepted", "open", None) is None
    assert _decision("rejected", "open", "  Harga tikar biasa Rp150.000. ") == "Harga tikar biasa Rp150.000."
    with pytest.raises(ValidationFailed) as refused:
        _decision("rejected", "open", "")
    assert refused.value.errors == {"reason": ["Wajib diisi."]}
    with pytest.raises(ValidationFailed):
        _decision("ditunda", "open", None)


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_a_price_already_decided_cannot_be_decided_again(status):
    with pytest.raises(Conflict) as refused:
        _decision("accepted", status, None)
    assert refused.value.detail == "Angka ini sudah diputuskan."
