"""Money is a whole number of rupiah. Formatting lives here, nowhere else."""

from __future__ import annotations


def format_rupiah(amount: int | None) -> str:
    """12500 -> 'Rp12.500' (Indonesian thousands separator, no decimals)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")
