"""The business buyer at checkout: checkout learns a user's organisation and outlets from here, and a
past order goes into the cart again at today's prices."""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.catalog.models import Product
from app.core.money import format_rupiah
from app.extensions import db
from app.orders import services as orders
from app.orders import ways_to_pay

from .organisations import addresses_of, org_of, verified_org_of


def plug_into_checkout() -> None:
    """Checkout learns which business buyer a user works for, and its outlets, through these (orders never
    imports wholesale)."""
    ways_to_pay.register_organisation_lookup(org_of)
    ways_to_pay.register_address_book(lambda user: addresses_of(verified_org_of(user)))


# ------------------------------------------------------------------ repeat an order


def negotiated_terms(actor: User, order_id: int) -> dict | None:
    """For an order that came from an accepted offer (a negotiated deal): a new quote request to the same
    group, with the last terms written in, instead of the catalogue's price and stock. None otherwise."""
    order = orders.order_for_buyer(actor, order_id)
    line = order.lines[0] if order.lines else None
    if not order.checkout.purchase_number or line is None or line.product_id is None:
        return None
    product = db.session.get(Product, line.product_id)
    if product is None or not product.is_public:
        return None
    return {
        "product_id": product.id,
        "quantity": line.quantity,
        "delivery_regency": order.checkout.ship_regency_code,
        "description": _(
            "Pesan lagi seperti pesanan %(o)s (%(po)s): %(q)s %(u)s %(p)s, harga terakhir %(price)s per %(u)s.",
            o=order.number,
            po=order.checkout.purchase_number,
            q=line.quantity,
            u=line.unit,
            p=line.name,
            price=format_rupiah(line.unit_price_idr),
        ),
    }


def repeat_order(actor: User, order_id: int) -> tuple[list[tuple[int, int]], list[str]]:
    """The lines of a past order at today's prices and stock: what goes in the cart, and what changed."""
    order = orders.order_for_buyer(actor, order_id)
    items, changes = [], []
    for line in order.lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None or not product.is_public:
            changes.append(_("%(p)s tidak dijual lagi.", p=line.name))
            continue
        qty = line.quantity
        if product.stock < qty:
            if product.stock < product.min_order_qty or product.stock == 0:
                changes.append(_("%(p)s sedang habis.", p=line.name))
                continue
            changes.append(_("%(p)s: stok tinggal %(n)s, jumlah disesuaikan.", p=line.name, n=product.stock))
            qty = product.stock
        price = product.unit_price_for(qty)
        if price != line.unit_price_idr:
            changes.append(
                _(
                    "%(p)s: harga %(old)s menjadi %(new)s.",
                    p=line.name,
                    old=format_rupiah(line.unit_price_idr),
                    new=format_rupiah(price),
                )
            )
        items.append((product.id, qty))
    return items, changes
