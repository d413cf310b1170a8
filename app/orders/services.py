"""Reading orders: a buyer's, a group's, a checkout by its link, the address to fill the next checkout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.catalog.models import Photo
from app.core.errors import NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.groups.services import group_for_member

from . import holds, ways_to_pay
from .models import ORDER_STATUSES, Checkout, CheckoutStatus, Order, OrderStatus

# the group's orders to confirm, prepare and ship: paid or invoiced (on terms), not shipped yet; the
# orders page lists them under this filter and the group's home counts them
TO_SHIP = (OrderStatus.PAID, OrderStatus.INVOICED, OrderStatus.PROCESSING)
TO_SHIP_FILTER = "to_ship"
COMPLAINTS_FILTER = "complaints"  # orders with a complaint not yet resolved (the group's home links here)


@dataclass
class SavedAddress:
    name: str | None
    phone: str | None
    street: str | None
    village: str | None
    district: str | None
    regency_code: str | None
    postal_code: str | None


def last_address(buyer: User) -> SavedAddress | None:
    """Where the buyer's last delivered checkout went, to fill the next one (one picked up has no address)."""
    c = db.session.scalars(
        select(Checkout)
        .where(Checkout.user_id == buyer.id, Checkout.ship_street != "")
        .order_by(Checkout.id.desc())
        .limit(1)
    ).first()
    if c is None:
        return None
    return SavedAddress(
        c.ship_name,
        c.ship_phone,
        c.ship_street,
        c.ship_village,
        c.ship_district,
        c.ship_regency_code,
        c.ship_postal_code,
    )


def last_address_of_organisation(organisation_id: int) -> dict | None:
    """Where a business buyer's last delivered order went, as a checkout's address (its default when it has
    saved no outlet)."""
    c = db.session.scalars(
        select(Checkout)
        .where(Checkout.organisation_id == organisation_id, Checkout.ship_street != "")
        .order_by(Checkout.id.desc())
        .limit(1)
    ).first()
    if c is None:
        return None
    return {
        "name": c.ship_name,
        "phone": c.ship_phone,
        "street": c.ship_street,
        "village": c.ship_village,
        "district": c.ship_district,
        "regency": c.ship_regency_code,
        "province": c.ship_province_code,
        "postal_code": c.ship_postal_code,
    }


LINK_LIFETIME = timedelta(days=180)


def checkout_for(buyer: User | None, checkout_id: int | None = None, access_key: str | None = None) -> Checkout:
    """A checkout by its id (its buyer only) or by its link (the access key in the URL e-mailed to the
    buyer). The link is a capability: it ends with the checkout (unpaid past its deadline, expired or
    cancelled) and LINK_LIFETIME after it was placed; the signed-in buyer who placed it keeps access."""
    stmt = select(Checkout)
    if access_key:
        stmt = stmt.where(Checkout.access_key == access_key)
    elif buyer is not None and checkout_id is not None:
        stmt = stmt.where(Checkout.id == checkout_id, Checkout.user_id == buyer.id)
    else:
        raise NotFound(_("Pesanan tidak ditemukan."))
    checkout = db.session.scalar(stmt)
    if checkout is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    owner = buyer is not None and checkout.user_id == buyer.id
    if access_key and not owner and not link_alive(checkout):
        raise NotFound(_("Tautan pesanan ini sudah tidak berlaku. Masuk ke akun Anda untuk melihat pesanan."))
    return checkout


def link_alive(checkout: Checkout, now=None) -> bool:
    now = now or utcnow()
    if checkout.status in (CheckoutStatus.EXPIRED, CheckoutStatus.CANCELLED):
        return False
    if checkout.status == CheckoutStatus.PENDING_PAYMENT and checkout.expires_at < now:
        return False
    return now - checkout.created_at < LINK_LIFETIME


def _buyer_scope(buyer: User):
    """One's own orders, and a business buyer's staff see all of their organisation's."""
    org = ways_to_pay.organisation_of(buyer)
    if org is not None:
        return or_(Order.user_id == buyer.id, Order.organisation_id == org.id)
    return Order.user_id == buyer.id


def orders_of_buyer(buyer: User, offset: int = 0, limit: int = 24) -> tuple[list[Order], bool]:
    rows = list(
        db.session.scalars(
            select(Order).where(_buyer_scope(buyer)).order_by(Order.id.desc()).offset(offset).limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def first_photos(orders: list[Order]) -> dict[int, Photo]:
    """The photo of each order's first product that has one shown, by order id (one query, for a list)."""
    wanted = {o.id: line.product_id for o in orders for line in o.lines[:1] if line.product_id}
    if not wanted:
        return {}
    by_product: dict[int, Photo] = {}
    for photo in db.session.scalars(
        select(Photo)
        .where(Photo.product_id.in_(set(wanted.values())), Photo.status == "ready")
        .order_by(Photo.position.desc(), Photo.id.desc())
    ):
        by_product[photo.product_id] = photo  # the last one written is the first in the product's order
    return {order_id: by_product[p] for order_id, p in wanted.items() if p in by_product}


@dataclass(frozen=True)
class Buyer:
    """Who acts as an order's buyer: a signed-in account (its orders and its organisation's), or whoever
    holds a checkout's link (its orders only: the link is the guest's credential, as for paying). `user` is
    the account that placed the checkout when she is signed in, else None (a guest)."""

    user: User | None
    checkout: Checkout | None = None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None


def as_buyer(who: User | Buyer) -> Buyer:
    return who if isinstance(who, Buyer) else Buyer(who)


def buyer_by_link(user: User | None, access_key: str) -> Buyer:
    """The buyer acting through the checkout's link (404 for a wrong or ended link): the account that placed
    it when she is the one signed in, else a guest holding the link."""
    checkout = checkout_for(user, access_key=access_key)
    owner = user if user is not None and checkout.user_id == user.id else None
    return Buyer(owner, checkout)


def order_for_buyer(buyer: User | Buyer, order_id: int) -> Order:
    """One of the buyer's orders: by her account's scope, or, through a checkout's link, of that checkout."""
    who = as_buyer(buyer)
    if who.checkout is not None:
        scope = Order.checkout_id == who.checkout.id
    elif who.user is not None:
        scope = _buyer_scope(who.user)
    else:
        raise NotFound(_("Pesanan tidak ditemukan."))
    order = db.session.scalar(select(Order).where(Order.id == order_id, scope))
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def is_member(user: User, group_id: int) -> bool:
    """An admin, or a member of the group (her memberships are loaded with her: no query)."""
    return user.is_admin or any(m.group_id == group_id for m in user.memberships)


def order_for_group_member(actor: User, order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or not is_member(actor, order.group_id):
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def orders_of_group(actor: User, slug: str, status: str | None = None, offset: int = 0, limit: int = 50):
    group = group_for_member(actor, slug)
    stmt = select(Order).where(Order.group_id == group.id).options(joinedload(Order.checkout))  # shown with each
    if status == TO_SHIP_FILTER:
        stmt = stmt.where(Order.status.in_(TO_SHIP))
    elif status == COMPLAINTS_FILTER:
        stmt = stmt.where(holds.complaint_pending(Order.id))
    elif status:
        if status not in ORDER_STATUSES:
            raise ValidationFailed(_("Status tidak dikenal."), {"status": [_("Status tidak dikenal.")]})
        stmt = stmt.where(Order.status == status)
    rows = list(db.session.scalars(stmt.order_by(Order.id.desc()).offset(offset).limit(limit + 1)))
    return group, rows[:limit], len(rows) > limit


def orders_to_ship(group_id: int) -> tuple[int, int | None]:
    """How many of the group's orders wait to be confirmed, prepared or shipped, and the oldest one's id."""
    count, first = db.session.execute(
        select(func.count(Order.id), func.min(Order.id)).where(Order.group_id == group_id, Order.status.in_(TO_SHIP))
    ).one()
    return count, first
