"""A cart quoted: prices, tiers, minimums, stock and shipping of its lines, group by group, all from the
database; and whether a product may be sold at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.catalog.models import Product
from app.catalog.permits import label
from app.core.errors import Conflict, NotFound, collect
from app.extensions import db
from app.groups.models import Group

from . import couriers, shipping

MAX_QTY = 10_000


@dataclass
class QuoteLine:
    product: Product
    quantity: int
    unit_price_idr: int

    @property
    def line_total_idr(self) -> int:
        return self.unit_price_idr * self.quantity


@dataclass
class GroupQuote:
    group: Group
    lines: list[QuoteLine] = field(default_factory=list)
    shipping_method: str = "courier"
    zone: str | None = None
    shipping_idr: int = 0
    pickup: shipping.PickupPoint | None = None  # shipping_method "event": where and when
    pickup_points: list[shipping.PickupPoint] = field(default_factory=list)  # the events it may be picked up at
    options: list[couriers.Option] = field(default_factory=list)  # the couriers offered to the buyer's address
    option: couriers.Option | None = None  # by courier: the one chosen (charged)

    @property
    def method_choice(self) -> str:
        """The value of the choice on the checkout page: a courier's code, pickup or event:<id>."""
        if self.pickup:
            return f"event:{self.pickup.id}"
        return self.option.code if self.shipping_method == "courier" and self.option else self.shipping_method

    @property
    def goods_idr(self) -> int:
        return sum(line.line_total_idr for line in self.lines)

    @property
    def weight_g(self) -> int:
        return sum(line.product.net_weight_g * line.quantity for line in self.lines)

    @property
    def total_idr(self) -> int:
        return self.goods_idr + self.shipping_idr


@dataclass
class Quote:
    groups: list[GroupQuote]
    errors: dict[str, list[str]]
    stock_errors: dict[str, list[str]]

    @property
    def goods_idr(self) -> int:
        return sum(g.goods_idr for g in self.groups)

    @property
    def shipping_idr(self) -> int:
        return sum(g.shipping_idr for g in self.groups)

    @property
    def total_idr(self) -> int:
        return self.goods_idr + self.shipping_idr

    @property
    def delivers(self) -> bool:
        """Some group sends its goods: the checkout needs a delivery address. Picked up (at the group or
        at an event) everywhere: a name and a phone number are enough."""
        return not self.groups or any(g.shipping_method == "courier" for g in self.groups)

    @property
    def pickup_province(self) -> str:
        """Where the goods are handed over when nothing is sent: its zone tells the checkout's times."""
        g = self.groups[0] if self.groups else None
        return (g.pickup.province_code if g and g.pickup else g.group.province_code if g else "") or ""


def check_for_sale(product_id: int) -> Product:
    """Before a product goes into a cart: it is public and its permit lets it be sold."""
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public:
        raise NotFound(_("Produk tidak ditemukan."))
    if product.lapsed_permit is not None:
        raise Conflict(lapsed_message(product))
    return product


def lapsed_message(product: Product) -> str:
    permit = product.lapsed_permit
    assert permit is not None  # its callers ask only about a product whose permit has lapsed
    return _(
        "%(name)s belum bisa dibeli: %(permit)s-nya %(state)s.",
        name=product.name,
        permit=label(permit.type),
        state=_("sudah berakhir") if permit.effective_status == "expired" else _("ditolak petugas"),
    )


def merge_items(items) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    return list(merged.items())


def quote(
    items, ship_province: str | None = None, methods: dict[str, str] | None = None, ship_postal: str | None = None
) -> Quote:
    """Prices, tiers, minimums, stock and shipping of a cart, all from the database (and the couriers' rates
    for the buyer's postal code, where Biteship is configured)."""
    errors: dict[str, list[str]] = {}
    stock_errors: dict[str, list[str]] = {}
    items = merge_items(items)
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_([i for i, _q in items])))}
    by_group: dict[int, GroupQuote] = {}
    rate_table = shipping.rates()
    for index, (product_id, quantity) in enumerate(items):
        key = f"items.{index}"
        product = products.get(product_id)
        if product is None or not product.is_public:
            collect(errors, f"{key}.product_id", _("Produk %(id)s tidak tersedia.", id=product_id))
            continue
        if product.lapsed_permit is not None:
            collect(errors, f"{key}.product_id", lapsed_message(product))
            continue
        if not 1 <= quantity <= MAX_QTY:
            collect(errors, f"{key}.quantity", _("Jumlah harus 1 sampai %(n)s.", n=MAX_QTY))
            continue
        if quantity < product.min_order_qty:
            collect(
                errors,
                f"{key}.quantity",
                _(
                    "%(name)s: pembelian minimum %(n)s %(unit)s.",
                    name=product.name,
                    n=product.min_order_qty,
                    unit=product.unit,
                ),
            )
        if quantity > product.stock:
            collect(
                stock_errors, f"{key}.quantity", _("%(name)s: stok tinggal %(n)s.", name=product.name, n=product.stock)
            )
        gq = by_group.setdefault(product.group_id, GroupQuote(group=product.group))
        gq.lines.append(QuoteLine(product, quantity, product.unit_price_for(quantity)))
    points = shipping.pickup_points(by_group) if by_group else {}
    for gq in by_group.values():
        gq.pickup_points = points.get(gq.group.id, [])
        _ship(gq, str((methods or {}).get(gq.group.slug) or ""), ship_province, ship_postal, rate_table, errors)
    return Quote(groups=sorted(by_group.values(), key=lambda g: g.group.name), errors=errors, stock_errors=stock_errors)


def _ship(gq: GroupQuote, choice: str, province: str | None, postal: str | None, table, errors: dict) -> None:
    """How one group's part goes: picked up (at the group, at an event) or by the courier service chosen
    among those offered (the cheapest when none is named); a choice not offered is an error."""
    gq.shipping_method = "courier"
    gq.options = couriers.offered(gq.group, gq.lines, gq.weight_g, province, postal, table)  # shown even if not chosen
    if choice.startswith("event:"):
        gq.pickup = next((p for p in gq.pickup_points if f"event:{p.id}" == choice), None)
        if gq.pickup is not None:
            gq.shipping_method = "event"
            return
        message = _("%(g)s tidak membuka pengambilan di acara itu. Pilih cara lain.", g=gq.group.name)
        collect(errors, f"shipping.{gq.group.slug}", message)
    elif choice == "pickup":
        gq.shipping_method = "pickup"
        return
    gq.option = couriers.choose(gq.options, "" if choice.startswith("event:") else choice)
    if gq.option is not None:
        gq.zone, gq.shipping_idr = gq.option.zone, gq.option.price_idr
    elif gq.options or (choice not in ("", couriers.ZONE_CODE) and province and postal):
        collect(
            errors,
            f"shipping.{gq.group.slug}",
            _("%(g)s: kurir itu tidak tersedia untuk alamat ini. Pilih salah satu yang ditawarkan.", g=gq.group.name),
        )
