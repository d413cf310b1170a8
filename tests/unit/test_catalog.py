"""The catalog's pages (cursors a visitor may tamper with), which products show, and their ratings."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from app.catalog.cursors import decode_cursor, decode_keyset, encode_cursor, encode_keyset
from app.catalog.models import Photo, Product
from app.core.errors import ValidationFailed
from app.groups.models import Group


def test_a_search_pages_cursor_comes_back_as_its_offset():
    assert decode_cursor(encode_cursor(48)) == 48
    assert decode_cursor(None) == 0 and decode_cursor("") == 0


def _raw(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "bukan-kursor",
        _raw({"o": -1}),
        _raw({"o": 100_001}),
        _raw({"o": 1.5}),
        _raw({"o": True}),
        _raw({"x": 1}),
        _raw([1, 2]),
    ],
    ids=["garbage", "negative", "too-far", "fraction", "boolean", "no-offset", "a-list"],
)
def test_a_tampered_search_cursor_is_refused_not_a_server_error(cursor):
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(cursor)
    assert refused.value.errors == {"cursor": ["Kursor tidak valid."]}


def test_a_listing_cursor_keeps_its_sort_direction_and_place():
    assert decode_keyset(encode_keyset("price_asc", "n", [25_000, 7]), "price_asc") == ("n", (25_000, 7))
    assert decode_keyset(None, "newest") is None


def test_a_newest_first_cursor_holds_an_instant_read_as_utc():
    cursor = encode_keyset("newest", "p", ["2026-08-17T07:00:00+07:00", 9])
    assert decode_keyset(cursor, "newest") == ("p", (datetime(2026, 8, 17, 0, 0, tzinfo=UTC), 9))


@pytest.mark.parametrize(
    "sort, direction, key, read_as",
    [
        ("price_asc", "n", [25_000, 7], "price_desc"),  # a cursor of another sort
        ("price_asc", "x", [25_000, 7], "price_asc"),
        ("price_asc", "n", [25_000, 2**31 + 1], "price_asc"),
        ("price_asc", "n", [-5, 7], "price_asc"),
        ("price_asc", "n", ["25000", 7], "price_asc"),
        ("newest", "n", ["2026-08-17T07:00:00", 7], "newest"),  # a time without its zone
        ("newest", "n", ["2026-08-17", 7], "newest"),
        ("newest", "n", [12345, 7], "newest"),
    ],
)
def test_a_tampered_listing_cursor_is_refused(sort, direction, key, read_as):
    with pytest.raises(ValidationFailed):
        decode_keyset(encode_keyset(sort, direction, key), read_as)


@pytest.mark.parametrize(
    "status, hidden, group_status, public",
    [
        ("active", False, "verified", True),
        ("draft", False, "verified", False),
        ("archived", False, "verified", False),
        ("active", True, "verified", False),  # hidden by an officer
        ("active", False, "pending", False),  # the group is not verified yet
        ("active", False, "suspended", False),
    ],
)
def test_a_product_shows_in_the_catalog_only_when_on_sale_by_a_verified_group(status, hidden, group_status, public):
    product = Product(status=status, hidden=hidden, group=Group(status=group_status))
    assert product.is_public is public


def test_the_average_rating_is_rounded_to_one_decimal():
    assert Product(rating_sum=14, rating_count=3).rating_average == 4.7
    assert Product(rating_sum=0, rating_count=0).rating_average is None  # no reviews yet


def test_only_photos_that_are_ready_are_shown_first_one_the_main_photo():
    product = Product(
        photos=[
            Photo(status="pending", keys={}),
            Photo(status="ready", keys={"320": "a", "960": "b"}),
            Photo(status="failed", keys={}),
        ]
    )
    assert product.main_photo is product.photos[1]
    assert product.shown_photos == [product.photos[1]]
    assert product.photos_processing


def test_a_photos_variant_keeps_its_proportions():
    photo = Photo(width=1200, height=900, keys={"960": "b", "320": "a"})
    assert photo.widths() == [320, 960]
    assert photo.height_at(320) == 240
    assert Photo(width=4000, height=10, keys={}).height_at(320) == 1  # never zero pixels high


def test_a_groups_whatsapp_number_opens_a_chat():
    assert Group(whatsapp="+6281234567890").whatsapp_link == "https://wa.me/6281234567890"
    assert Group(whatsapp=None).whatsapp_link is None
