"""When a product shows in the catalog. Its `status` says so (draft, active, archived), as the API sets it.
A product listed from the site starts as a draft that waits for what it lacks (Product.listing_missing:
a photo, stock) and becomes active by itself once it has both, whichever way they came (the edit page,
a photo job, the API)."""

from __future__ import annotations

from .models import Product


def settle_status(product: Product, requested: str | None, *, hold_until_ready: bool) -> None:
    """Apply a status the group chose (None: unchanged). With `hold_until_ready` (the site's pages), asking
    a product that is not on show yet to show while it lacks a photo or stock keeps it a draft that waits;
    a product already on show stays on show (sold out is shown as such). A status chosen otherwise (the API)
    is taken as it is and ends any waiting."""
    if requested is not None:
        was = product.status
        product.status, product.list_when_ready = requested, False
        if hold_until_ready and requested == "active" and was != "active" and product.listing_missing:
            product.status, product.list_when_ready = "draft", True
    publish_when_ready(product)


def publish_when_ready(product: Product) -> bool:
    """A waiting draft that now has a photo and stock goes on show; whether it did."""
    if product.waiting_to_list and not product.listing_missing:
        product.status, product.list_when_ready = "active", False
        return True
    return False
