"""A product's limits are one rule: the API's schema, the page's form and the service refuse the same."""

from __future__ import annotations

import pydantic
import pytest

from app.api.schemas import ProductIn
from app.catalog import limits
from app.catalog.products import _clean_tiers

GOOD = {"name": "Amplang Pipih", "category": "camilan", "net_weight_g": 250, "price_idr": 25000}


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Ab"},  # shorter than a product's name may be
        {"price_idr": limits.PRICE_IDR.low - 1},
        {"price_tiers": [{"min_qty": 10, "unit_price_idr": 1}]},  # a tier at Rp1: the service refuses it too
        {"price_tiers": [{"min_qty": 1, "unit_price_idr": 20000}]},  # a tier from one piece is no tier
        {"unit": ""},
    ],
)
def test_the_api_refuses_what_the_service_refuses(change):
    with pytest.raises(pydantic.ValidationError):
        ProductIn.model_validate({**GOOD, **change})


def test_a_good_product_passes_the_schema():
    assert ProductIn.model_validate(GOOD).name == "Amplang Pipih"


def test_the_service_refuses_a_tier_below_the_lowest_price():
    errors: dict = {}
    _clean_tiers([{"min_qty": 10, "unit_price_idr": limits.PRICE_IDR.low - 1}], 25000, errors)
    assert "price_tiers.0.unit_price_idr" in errors
