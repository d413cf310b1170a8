"""Courier cost: by weight (every started kilogram) and by the zone between the group and the buyer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.catalog.models import Product
from app.groups.models import Group
from app.orders import shipping
from app.orders.models import ShippingRate
from app.orders.quoting import GroupQuote, Quote, QuoteLine

KALTIM = "64"  # Kalimantan Timur (Samarinda, Balikpapan)
PONTIANAK = "61"  # Kalimantan Barat
SURABAYA = "35"  # Jawa Timur
PEKANBARU, BATAM = "14", "21"  # Riau, Kepulauan Riau
JAYAPURA = "91"  # Papua


@pytest.mark.parametrize(
    "group, buyer, zone",
    [
        (KALTIM, KALTIM, "dalam_provinsi"),  # Samarinda to Balikpapan
        (KALTIM, PONTIANAK, "satu_pulau"),  # both on Kalimantan
        (KALTIM, SURABAYA, "antar_pulau"),
        (SURABAYA, JAYAPURA, "antar_pulau"),
        (BATAM, PEKANBARU, "antar_pulau"),  # Kepulauan Riau is across the strait from Riau
    ],
)
def test_the_zone_follows_province_and_island_group(group, buyer, zone):
    assert shipping.zone(group, buyer) == zone


def test_the_zone_is_the_same_whichever_way_the_parcel_goes():
    for a, b in ((KALTIM, PONTIANAK), (KALTIM, SURABAYA), (SURABAYA, SURABAYA)):
        assert shipping.zone(a, b) == shipping.zone(b, a)


@pytest.mark.parametrize(
    "weight_g, cost",
    [
        (0, 10_000),  # nothing weighed still pays the first kilogram
        (1, 10_000),
        (1_000, 10_000),
        (1_001, 15_000),  # a started kilogram counts as a whole one
        (2_000, 15_000),
        (2_500, 20_000),
        (10_000, 55_000),
    ],
)
def test_within_the_province_the_first_kilogram_then_each_started_one(weight_g, cost):
    assert shipping.cost(weight_g, "dalam_provinsi", {}) == cost


def test_shipping_to_another_island_costs_more_than_within_the_province():
    for weight in (200, 1_500, 7_000):
        within, island, across = (shipping.cost(weight, z, {}) for z in ("dalam_provinsi", "satu_pulau", "antar_pulau"))
        assert within < island < across


def test_an_admins_rate_table_replaces_the_defaults():
    table = {"antar_pulau": ShippingRate(zone="antar_pulau", first_kg_idr=40_000, next_kg_idr=25_000)}
    assert shipping.cost(3_000, "antar_pulau", table) == 90_000
    # a zone missing from the table keeps its default
    assert shipping.cost(3_000, "satu_pulau", table) == 40_000


def test_a_free_rate_set_by_an_admin_is_honoured():
    table = {"dalam_provinsi": ShippingRate(zone="dalam_provinsi", first_kg_idr=0, next_kg_idr=0)}
    assert shipping.cost(5_000, "dalam_provinsi", table) == 0


def _line(name, weight_g, price, quantity):
    return QuoteLine(Product(name=name, net_weight_g=weight_g, price_idr=price), quantity, price)


def test_a_groups_parcel_weighs_and_costs_what_its_lines_add_up_to():
    group = Group(name="UPPKS Mawar", province_code=KALTIM)
    gq = GroupQuote(group=group, lines=[_line("Amplang", 250, 23_000, 10), _line("Kerupuk", 400, 15_000, 1)])
    assert gq.weight_g == 2_900
    assert gq.goods_idr == 245_000
    gq.shipping_idr = shipping.cost(gq.weight_g, shipping.zone(group.province_code, SURABAYA), {})
    assert gq.shipping_idr == 35_000 + 2 * 20_000
    assert gq.total_idr == 320_000


def test_a_cart_from_two_groups_pays_each_groups_shipping():
    a = GroupQuote(group=Group(name="A"), lines=[_line("Amplang", 250, 25_000, 2)], shipping_idr=10_000)
    b = GroupQuote(
        group=Group(name="B"), lines=[_line("Tikar", 1_500, 150_000, 1)], shipping_idr=0, shipping_method="pickup"
    )
    quote = Quote(groups=[a, b], errors={}, stock_errors={})
    assert (quote.goods_idr, quote.shipping_idr, quote.total_idr) == (200_000, 10_000, 210_000)


def test_the_checkout_page_choice_names_the_event_for_a_pickup_at_a_stand():
    point = shipping.PickupPoint(7, "Bazar UPPKS", "Bazar UPPKS, 17 Agustus", datetime(2026, 8, 17, tzinfo=UTC))
    assert GroupQuote(group=Group(name="A"), shipping_method="event", pickup=point).method_choice == "event:7"
    assert GroupQuote(group=Group(name="A"), shipping_method="pickup").method_choice == "pickup"
