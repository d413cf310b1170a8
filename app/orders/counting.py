"""Which orders count as sales, and who saw their money: the one definition every figure uses (sales
statements for lenders, the officers' numbers, the sales book, search scores, partnerships, events).

An order counts as a sale when all of these hold:
- sold: its status is one of SOLD_STATUSES (paid or invoiced, and onwards; never unpaid, cancelled or
  refunded);
- not bought by the selling group itself: not by the account of one of its members (any membership of
  the group; memberships are never removed, so a member then is a member now), not by an account or an
  address invited to the group (an account made for it), and not by a checkout whose e-mail address or
  phone number is a member's;
- its buyer's address or number is proven (`User.email_proven_at`: a link sent to it was opened; `User.phone_verified_at`). A guest checkout
  (no account) counts: what it is worth is said by who saw its money, below;
- not held: none of its lines is above a price an officer flagged and has not accepted
  (`catalog.models.PriceFlag`). Held orders are shown apart ("waiting for an officer"), never counted.

Who saw the money (`money_kind`) is the payment method's to say (`ways_to_pay.PaymentMethod.money_kind`):
SEEN_BY_PLATFORM (card, QRIS, virtual account, e-wallet, a transfer to the platform's account, an invoice
an admin marked paid), GROUP_SAYS (a transfer to the group's own account, cash at its stand, an invoice the
group marked paid: the group's word) or INVOICED (on terms, not paid yet).

These are SQL expressions over an Order entity (or an alias of it), correlated, so any query can use them.
They are built once per entity (cached): the aliases inside them cost tens of milliseconds to build.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import and_, case, exists, func, literal, literal_column, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import Invitation, User
from app.catalog.models import PriceFlag
from app.groups.models import Membership

from . import ways_to_pay
from .models import SOLD_STATUSES, Checkout, Order, OrderLine, OrderStatus
from .ways_to_pay import GROUP_SAYS, INVOICED, MONEY_KINDS, SEEN_BY_PLATFORM  # noqa: F401 (the names counters use)


def sold(o=Order):
    return o.status.in_(SOLD_STATUSES)


@lru_cache(maxsize=16)
def not_by_the_group(o=Order):
    """Not bought by the selling group itself: not by a member's account, not by an account or address invited
    to the group, not by a checkout with a member's e-mail address or phone number. Written as NOT EXISTS …
    AND NOT EXISTS …, which PostgreSQL runs as anti-joins (NOT (a OR b) it would evaluate order by order)."""
    return and_(*(~part for part in _by_the_group(o)))


@lru_cache(maxsize=16)
def _by_the_group(o):
    # the references to the order stay in WHERE (none in a JOIN's ON), so that PostgreSQL can run each
    # NOT EXISTS as an anti-join
    m, u, c, i = aliased(Membership), aliased(User), aliased(Checkout), aliased(Invitation)
    member_account = exists().where(m.group_id == o.group_id, m.user_id == o.user_id)
    m2, c2 = aliased(Membership), aliased(Checkout)
    member_contact = exists(
        select(literal(1))
        .select_from(m2)
        .join(u, u.id == m2.user_id)
        .where(
            m2.group_id == o.group_id,
            c.id == o.checkout_id,
            or_(u.email == c.email, and_(u.phone.is_not(None), u.phone == c.phone)),
        )
    )
    invited = exists(
        select(literal(1)).where(
            i.kind == "group", i.target_id == o.group_id, c2.id == o.checkout_id, i.email == c2.email
        )
    )
    return member_account, member_contact, invited


@lru_cache(maxsize=16)
def proven_buyer(o=Order):
    """A guest, or an account whose e-mail address or phone number was proven."""
    u = aliased(User)
    proven = or_(u.email_proven_at.is_not(None), u.phone_verified_at.is_not(None))
    return or_(o.user_id.is_(None), exists().where(u.id == o.user_id, proven))


@lru_cache(maxsize=16)
def held(o=Order):
    """A line above the limit of a price flag an officer has not accepted (and above every price an officer
    accepted for that product)."""
    line, flag, ok = aliased(OrderLine), aliased(PriceFlag), aliased(PriceFlag)
    accepted = exists().where(
        ok.product_id == line.product_id, ok.status == "accepted", ok.price_idr >= line.unit_price_idr
    )
    return exists(
        select(literal(1))
        .select_from(line)
        .join(flag, flag.product_id == line.product_id)
        .where(line.order_id == o.id, flag.status != "accepted", line.unit_price_idr > flag.threshold_idr, ~accepted)
    )


@lru_cache(maxsize=16)
def genuine(o=Order):
    """Sold, to someone other than the group, whose address is proven (held or not)."""
    return and_(sold(o), not_by_the_group(o), proven_buyer(o))


@lru_cache(maxsize=16)
def counts(o=Order):
    """THE definition: the orders that count as sales."""
    return and_(genuine(o), ~held(o))


@lru_cache(maxsize=16)
def money_kind(o=Order, method=None):
    """One of MONEY_KINDS for an order; `method`: its checkout's payment_method column when the query has
    the checkout joined (else read by a subquery)."""
    if method is None:
        c = aliased(Checkout)
        method = select(c.payment_method).where(c.id == o.checkout_id).scalar_subquery()
    whens = [(method == m.code, m.money_kind(o)) for m in ways_to_pay.methods()]
    return case(*whens, else_=literal(GROUP_SAYS)) if whens else literal(GROUP_SAYS)


def sales(*where, with_held: bool = False):
    """A select of the orders that count (with_held: and those held for an officer), filtered by `where`:
    (id, group_id, created_at, goods_idr, user_id, organisation_id, email, kind, held). Join Group to it
    for regions."""
    is_held = held(Order)
    stmt = (
        select(
            Order.id,
            Order.group_id,
            Order.created_at,
            Order.goods_idr,
            Order.user_id,
            Order.organisation_id,
            Checkout.email,
            money_kind(Order, Checkout.payment_method).label("kind"),
            is_held.label("held"),
        )
        .join(Checkout, Checkout.id == Order.checkout_id)
        .where(genuine(Order), *where)
    )
    return stmt if with_held else stmt.where(~is_held)


def repeat_pairs():
    """(group_id, organisation_id) of a group and a business buyer with at least two completed orders that
    count: trade that makes them partners (with the partnerships officers record)."""
    from sqlalchemy import func

    return (
        select(Order.group_id.label("group_id"), Order.organisation_id.label("organisation_id"))
        .where(Order.status == OrderStatus.COMPLETED, Order.organisation_id.is_not(None), counts(Order))
        .group_by(Order.group_id, Order.organisation_id)
        .having(func.count(Order.id) >= 2)
    )


def units_sold_sql(dialect) -> str:
    """The units of product p sold since :since, in orders that count as sales, as SQL for the catalog's
    search score (app/catalog/search.py SCORE_SQL names p and :since)."""
    o, line = aliased(Order, name="o"), aliased(OrderLine, name="l")
    query = (
        select(func.sum(line.quantity))
        .select_from(line)
        .join(o, o.id == line.order_id)
        .where(line.product_id == literal_column("p.id"), o.created_at >= literal_column(":since"), counts(o))
    )
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
