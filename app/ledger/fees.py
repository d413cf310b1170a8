"""What an order costs its group: the platform's fee (PLATFORM_FEE_PERCENT of the goods plus
PLATFORM_FEE_IDR per order, 0 by default) and the payment provider's cost (PROVIDER_COSTS per method),
which the platform bears unless PROVIDER_COSTS_BORNE_BY is "group". Whole rupiah, rounded half up; the
buyer's totals never change. Percentages are read as exact decimals (basis points), never floats."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


def basis_points(percent: str | int | float) -> int:
    """ "2.9" -> 290; "0.7%" -> 70; at most two decimals."""
    text = str(percent).strip().rstrip("%").strip() or "0"
    whole, _dot, frac = text.partition(".")
    if not (whole or "0").isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(f"not a percentage: {percent!r}")
    return int(whole or 0) * 100 + int((frac + "00")[:2])


def _share(amount: int, bp: int) -> int:
    return (amount * bp + 5000) // 10000


def split(amount: int, weights: list[int]) -> list[int]:
    """`amount` split by weights, the parts adding up exactly (the rest to the largest weights)."""
    total = sum(weights)
    if not total or not amount:
        return [0 for _w in weights]
    parts = [amount * w // total for w in weights]
    rest = amount - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: -weights[i])[:rest]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Fee:
    fee_idr: int  # what the group gives up: the platform's fee, and the provider's cost if groups bear it
    provider_cost_idr: int  # what the provider keeps of this order's money
    net_idr: int  # what the group receives


def fees_for(method: str, orders: list[tuple[int, int]]) -> list[Fee]:
    """Each order's fee, for orders paid together by `method`: (goods_idr, total_idr) each. A provider's
    fixed cost per payment is shared by the orders in proportion to their totals."""
    cfg = current_app.config
    bp, fixed = cfg["PROVIDER_COSTS"].get(method, (0, 0))
    fixed_shares = split(fixed, [total for _goods, total in orders])
    platform_bp, platform_fixed = basis_points(cfg["PLATFORM_FEE_PERCENT"]), int(cfg["PLATFORM_FEE_IDR"])
    group_bears = cfg["PROVIDER_COSTS_BORNE_BY"] == "group"
    result = []
    for (goods, total), fixed_share in zip(orders, fixed_shares, strict=True):
        cost = min(total, _share(total, bp) + fixed_share)
        fee = _share(goods, platform_bp) + platform_fixed + (cost if group_bears else 0)
        fee = min(fee, total)
        result.append(Fee(fee_idr=fee, provider_cost_idr=cost, net_idr=total - fee))
    return result
