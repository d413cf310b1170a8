"""Stock in lots: each with the day it was made and the day it expires. Adding a lot adds to the product's
stock (products.stock stays the figure the rest of the code reads); an order takes from the lot that
expires first, never from an expired one, and for a business buyer that asks for a minimum shelf life only
from lots that still have it (ShelfRule). What each order line took is kept (LotTake) and given back when the
order is cancelled. Stock counted before a product had lots has no dates: it is taken after the lots, and
never for a buyer with a shelf-life rule while the product has lots left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.accounts.models import User
from app.core import validate
from app.core.errors import ValidationFailed, collect
from app.core.timefmt import long_date, today_wib
from app.extensions import db

from . import limits
from .access import product_for_member
from .models import Lot, LotTake, Product

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import CursorResult

PENDING = "lot_takes"  # session.info: the takes of the stock being taken now, not yet tied to order lines


@dataclass(frozen=True)
class ShelfRule:
    """What a buyer asks of the goods: at least `days` left, and/or at least `percent` of the lot's whole
    shelf life (produced to expiry) left. Empty: only not expired."""

    days: int | None = None
    percent: int | None = None

    def __bool__(self) -> bool:
        return bool(self.days or self.percent)

    def fresh(self, lot: Lot, today: date) -> bool:
        left = (lot.expires_on - today).days
        if left < 0:
            return False
        if self.days and left < self.days:
            return False
        whole = max(1, (lot.expires_on - lot.produced_on).days)
        return not (self.percent and left * 100 < self.percent * whole)

    def describe(self) -> str:
        parts = []
        if self.days:
            parts.append(_("masih %(n)s hari atau lebih", n=self.days))
        if self.percent:
            parts.append(_("masih %(p)s%% dari masa simpannya atau lebih", p=self.percent))
        return _(" dan ").join(parts) or _("belum kedaluwarsa")


def rule_of(org: Any) -> ShelfRule:
    """The shelf life a business buyer (an organisation, or None) asks for."""
    if org is None:
        return ShelfRule()
    return ShelfRule(getattr(org, "min_shelf_days", None), getattr(org, "min_shelf_percent", None))


def lots_of(product: Product, *, all_lots: bool = False) -> list[Lot]:
    """Its lots, the one that expires first first (those used up left out unless all_lots)."""
    stmt = select(Lot).where(Lot.product_id == product.id)
    if not all_lots:
        stmt = stmt.where(Lot.quantity > 0)
    return list(db.session.scalars(stmt.order_by(Lot.expires_on, Lot.id)))


def add_lot(actor: User, product_id: int, data: dict) -> Lot:
    """A lot the group made: its quantity is added to the product's stock, in one transaction."""
    product = product_for_member(actor, product_id)
    errors: dict[str, list[str]] = {}
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=limits.STOCK.high)
    today = today_wib()
    produced = validate.date_value(data.get("produced_on"), errors, "produced_on", required=True)
    expires = validate.date_value(data.get("expires_on"), errors, "expires_on", required=True)
    if produced and produced > today:
        collect(errors, "produced_on", _("Tanggal produksi tidak boleh sesudah hari ini."))
    if expires and expires <= max(today, produced or today):
        collect(errors, "expires_on", _("Tanggal kedaluwarsa harus sesudah hari ini dan tanggal produksi."))
    code = validate.text(data.get("code"), errors, "code", max_len=40, required=False)
    if errors or quantity is None or produced is None or expires is None:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    lot = Lot(
        product_id=product.id,
        code=code or produced.strftime("%y%m%d"),
        quantity=quantity,
        added_quantity=quantity,
        produced_on=produced,
        expires_on=expires,
    )
    db.session.add(lot)
    db.session.execute(
        update(Product)
        .where(Product.id == product.id)
        .values(stock=Product.stock + quantity)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(product, ["stock"])
    return lot


def forget_takes() -> None:
    db.session.info[PENDING] = []


def take(product_id: int, quantity: int, rule: ShelfRule | None = None) -> bool:
    """After the product's own stock was taken (its row is locked by then): take `quantity` from its lots,
    the one that expires first first, each with a conditional UPDATE. False when its lots (and, without a
    rule, its stock without dates) cannot give that much: the caller rolls back."""
    rule = rule or ShelfRule()
    lots = db.session.scalars(
        select(Lot)
        .where(Lot.product_id == product_id, Lot.quantity > 0)
        .order_by(Lot.expires_on, Lot.id)
        .execution_options(populate_existing=True)
    ).all()
    if not lots:
        return True  # no lots: stock without dates, as before lots
    today = today_wib()
    left = quantity
    for lot in lots:
        if left == 0:
            break
        if not rule.fresh(lot, today):
            continue
        n = min(left, lot.quantity)
        result = cast(
            "CursorResult[Any]",
            db.session.execute(
                update(Lot)
                .where(Lot.id == lot.id, Lot.quantity >= n)
                .values(quantity=Lot.quantity - n)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            return False
        _pending(LotTake(lot_id=lot.id, product_id=product_id, quantity=n))
        left -= n
    return left == 0 or (not rule and left <= _undated(product_id, quantity, lots))


def _undated(product_id: int, taken: int, lots) -> int:
    """The stock that was there before this take and is in no lot."""
    stock = db.session.scalar(select(Product.stock).where(Product.id == product_id)) or 0
    return stock + taken - sum(lot.quantity for lot in lots)


def _pending(row: LotTake) -> None:
    db.session.add(row)
    db.session.info.setdefault(PENDING, []).append(row)


def assign_takes(lines: Iterable[Any]) -> None:
    """Tie the takes just made to the order lines (flushed) of their products."""
    by_product = {line.product_id: line.id for line in lines if line.product_id}
    for row in db.session.info.pop(PENDING, []):
        row.order_line_id = by_product.get(row.product_id)


def give_back(line_ids: list[int]) -> None:
    """An order was cancelled: each lot gets back what its lines took."""
    if not line_ids:
        return
    rows = db.session.scalars(select(LotTake).where(LotTake.order_line_id.in_(line_ids))).all()
    for row in rows:
        db.session.execute(
            update(Lot)
            .where(Lot.id == row.lot_id)
            .values(quantity=Lot.quantity + row.quantity)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(LotTake).where(LotTake.order_line_id.in_(line_ids)))


def fresh_enough(product_id: int, rule: ShelfRule) -> int:
    today = today_wib()
    lots = db.session.scalars(select(Lot).where(Lot.product_id == product_id, Lot.quantity > 0)).all()
    return sum(lot.quantity for lot in lots if rule.fresh(lot, today))


def short_message(product: Product, rule: ShelfRule) -> str:
    """Why a product with stock enough was short: its lots that are fresh enough."""
    if not rule:
        return _("%(name)s: yang belum kedaluwarsa tinggal %(n)s.", name=product.name, n=fresh_enough(product.id, rule))
    return _(
        "%(name)s: yang sisa masa simpannya %(rule)s tinggal %(n)s.",
        name=product.name,
        rule=rule.describe(),
        n=fresh_enough(product.id, rule),
    )


def takes_of_lines(line_ids: list[int]) -> dict[int, list[LotTake]]:
    """Which lot(s) each order line took, for its page: {line id: [take with its lot]}."""
    out: dict[int, list[LotTake]] = {}
    if line_ids:
        stmt = select(LotTake).where(LotTake.order_line_id.in_(line_ids)).order_by(LotTake.id)
        for row in db.session.scalars(stmt):
            out.setdefault(cast("int", row.order_line_id), []).append(row)
    return out


def next_lots(product_ids: list[int]) -> dict[int, Lot]:
    """The lot each product's next sale takes (the one that expires first, not yet expired, with stock left),
    in one query: what an offer from stock says it will deliver."""
    if not product_ids:
        return {}
    rows = db.session.scalars(
        select(Lot)
        .where(Lot.product_id.in_(product_ids), Lot.quantity > 0, Lot.expires_on >= today_wib())
        .order_by(Lot.product_id, Lot.expires_on.desc(), Lot.id.desc())
    )
    return {lot.product_id: lot for lot in rows}  # the earliest of each product comes last and wins


def lot_words(lot: Lot) -> str:
    return _("Lot %(code)s, kedaluwarsa %(date)s", code=lot.code, date=long_date(lot.expires_on))
