"""Rupiah as people read it, and rupiah in US dollars for export quotes."""

from __future__ import annotations

import pytest

from app.core.money import format_rupiah
from app.export.services import usd, usd_cents


@pytest.mark.parametrize(
    "amount, shown",
    [
        (0, "Rp0"),
        (999, "Rp999"),
        (12_500, "Rp12.500"),  # a dot between thousands, no decimals
        (1_000_000_000, "Rp1.000.000.000"),
        (-1_500, "-Rp1.500"),  # a refund or a correction: the sign before Rp
    ],
)
def test_prices_are_shown_in_rupiah_with_dots_between_thousands(amount, shown):
    assert format_rupiah(amount) == shown


def test_a_missing_amount_shows_nothing():
    assert format_rupiah(None) == ""


@pytest.mark.parametrize(
    "amount_idr, idr_per_usd, shown",
    [
        (15_500, 15_500, "1.00"),
        (7_750, 15_500, "0.50"),
        (7_673, 15_500, "0.50"),  # 49.503 cents: up
        (7_672, 15_500, "0.49"),  # 49.496 cents: down
        (155, 15_500, "0.01"),
        (77, 15_500, "0.00"),  # less than half a cent
        (80, 16_000, "0.01"),  # exactly half a cent rounds up
        (19_135_000_000, 15_500, "1,234,516.13"),  # thousands with commas, as an importer reads dollars
    ],
)
def test_an_export_price_in_dollars_is_rounded_half_up_to_the_cent(amount_idr, idr_per_usd, shown):
    assert usd(amount_idr, idr_per_usd) == shown


def test_dollar_cents_are_whole_numbers():
    assert usd_cents(25_000, 16_000) == 156  # 156.25 cents
    assert isinstance(usd_cents(25_000, 16_000), int)
