"""Demo data: `flask demo seed` (seed.py) and its tables (accounts.py, places.py, products.py)."""

from app.demo.seed import demo_cli

__all__ = ["demo_cli"]
