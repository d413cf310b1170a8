"""Sales statements a lender can verify, kept as issued (a snapshot and its SHA-256).

A statement is worth what it can vouch for, so it keeps apart, month by month (snapshot version 2):
- seen_idr: money the platform itself saw arrive (card, QRIS, virtual account, e-wallet, a transfer to the
  platform's account, an invoice an admin marked paid) — the only figure the platform vouches for;
- group_received_idr: money the group says it received (a transfer to its own account or cash at its
  stand, confirmed by the group; an invoice the group marked paid);
- invoiced_idr: invoiced on terms to a verified business buyer, not paid yet;
- offline_idr: sales the group declares in its sales book (outside the platform).
platform_idr is the sum of the first three (the orders that count as sales, app/orders/counting.py: never
the group's own purchases, nor those of unproven accounts). Orders at a price an officer has not accepted
and declared entries waiting for an officer are left out of every figure above and shown as held_idr.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.catalog.models import PriceFlag, Product
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.groups.models import Group
from app.groups.services import group_for, group_for_member
from app.ledger.services import paid_out_between
from app.orders import counting
from app.orders.models import Order
from app.wholesale.organisations import partners_of_group

from .models import OfflineSale, SalesStatement, declared_counts, declared_held

PERIODS = (3, 6, 12)
VALID_DAYS = 90
VERSION = 2  # 1: before the kinds of money were kept apart (platform_idr then held every sold order)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
_KIND_KEYS = {counting.SEEN_BY_PLATFORM: "seen", counting.GROUP_SAYS: "group_received", counting.INVOICED: "invoiced"}


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def digest(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _empty_month(key: str) -> dict:
    return {
        "month": key,
        "platform_idr": 0,
        "platform_orders": 0,
        "offline_idr": 0,
        "seen_idr": 0,
        "seen_orders": 0,
        "group_received_idr": 0,
        "group_received_orders": 0,
        "invoiced_idr": 0,
        "invoiced_orders": 0,
        "held_idr": 0,
    }


def _figures(group: Group, start: date, end: date) -> dict:
    """The numbers of [start, end): per month, each kind of money apart, and the totals."""
    months = {}
    month = start
    while month < end:
        months[f"{month:%Y-%m}"] = _empty_month(f"{month:%Y-%m}")
        month = _add_months(month, 1)
    buyers, businesses, held_orders = _count_orders(group, start, end, months)
    held_entries = _count_declared(group, start, end, months)
    products, with_permit = _products(group)
    paid_out, payouts = paid_out_between(
        group.id, *(datetime(d.year, d.month, d.day, tzinfo=UTC) for d in (start, end))
    )
    rows = list(months.values())
    total = lambda key: sum(r[key] for r in rows)  # noqa: E731
    return {
        "version": VERSION,
        "months": rows,
        "platform_idr": total("platform_idr"),
        "platform_orders": total("platform_orders"),
        "seen_idr": total("seen_idr"),
        "seen_orders": total("seen_orders"),
        "group_received_idr": total("group_received_idr"),
        "group_received_orders": total("group_received_orders"),
        "invoiced_idr": total("invoiced_idr"),
        "invoiced_orders": total("invoiced_orders"),
        "offline_idr": total("offline_idr"),
        "held_idr": total("held_idr"),
        "held_orders": held_orders,
        "held_entries": held_entries,
        "buyers": buyers,
        "business_buyers": businesses,
        "partnerships": len(partners_of_group(group)),
        "products": products,
        "products_with_permit": with_permit,
        # sent to the group's bank account by the platform (the ledger's payouts, less those returned)
        "paid_out_idr": paid_out,
        "paid_out_payouts": payouts,
    }


def _count_orders(group: Group, start: date, end: date, months: dict[str, dict]) -> tuple[int, int, int]:
    """Adds the orders that count as sales to their months, each kind of money apart (those at a price
    waiting for an officer as held); returns how many buyers, business buyers and held orders."""
    lo, hi = (datetime(d.year, d.month, d.day, tzinfo=UTC) for d in (start, end))
    buyers, businesses = set(), set()
    held_orders = 0
    for row in db.session.execute(
        counting.sales(Order.group_id == group.id, Order.created_at >= lo, Order.created_at < hi, with_held=True)
    ):
        m = months.get(f"{row.created_at:%Y-%m}")
        if m is None:
            continue
        if row.held:
            m["held_idr"] += row.goods_idr
            held_orders += 1
            continue
        key = _KIND_KEYS[row.kind]
        m[f"{key}_idr"] += row.goods_idr
        m[f"{key}_orders"] += 1
        m["platform_idr"] += row.goods_idr
        m["platform_orders"] += 1
        buyers.add(f"u{row.user_id}" if row.user_id else f"e{(row.email or '').lower()}")
        if row.organisation_id:
            businesses.add(row.organisation_id)
    return len(buyers), len(businesses), held_orders


def _count_declared(group: Group, start: date, end: date, months: dict[str, dict]) -> int:
    """Adds the sales the group declares to their months (those waiting for an officer as held); returns
    how many entries are held."""
    in_period = (OfflineSale.group_id == group.id, OfflineSale.sold_on >= start, OfflineSale.sold_on < end)
    for sold_on, total in db.session.execute(
        select(OfflineSale.sold_on, OfflineSale.total_idr).where(declared_counts(), *in_period)
    ):
        months[f"{sold_on:%Y-%m}"]["offline_idr"] += total
    held_entries = 0
    for sold_on, total in db.session.execute(
        select(OfflineSale.sold_on, OfflineSale.total_idr).where(declared_held(), *in_period)
    ):
        months[f"{sold_on:%Y-%m}"]["held_idr"] += total
        held_entries += 1
    return held_entries


def _products(group: Group) -> tuple[int, int]:
    """How many products the group sells, and how many of them with a permit valid today."""
    today = today_wib()
    products, with_permit = db.session.execute(
        select(func.count(), func.count().filter(Product.permit_valid_until >= today)).where(
            Product.group_id == group.id, Product.status == "active"
        )
    ).one()
    return products, with_permit


def vouched_idr(snapshot: dict) -> int | None:
    """What the platform vouches for in a statement: the money it saw arrive (None: a statement of version
    1, issued before the kinds of money were kept apart, vouches for no figure)."""
    return snapshot.get("seen_idr") if snapshot.get("version", 1) >= 2 else None


def held_figures(group: Group) -> tuple[list[PriceFlag], list[OfflineSale]]:
    """What of the group waits for an officer (or was refused): prices and declared entries."""
    flags = list(
        db.session.scalars(
            select(PriceFlag)
            .join(Product, Product.id == PriceFlag.product_id)
            .where(Product.group_id == group.id, PriceFlag.status.in_(("open", "rejected")))
            .order_by(PriceFlag.id)
        )
    )
    entries = list(
        db.session.scalars(
            select(OfflineSale).where(OfflineSale.group_id == group.id, declared_held()).order_by(OfflineSale.sold_on)
        )
    )
    return flags, entries


def period_of(months: int, today: date | None = None) -> tuple[date, date]:
    """The first and the last day of the last `months` complete months (this month, not over yet, is not
    one of them)."""
    end = (today or today_wib()).replace(day=1)
    return _add_months(end, -months), end - timedelta(days=1)


def periods(today: date | None = None) -> list[tuple[int, date, date]]:
    """What the chair may issue, with the months each covers, for the page to say in words."""
    return [(n, *period_of(n, today)) for n in PERIODS]


def this_month_so_far(group: Group) -> dict:
    """This month's figures until today: not in any statement until the month is over."""
    today = today_wib()
    start = today.replace(day=1)
    figures = _figures(group, start, today + timedelta(days=1))
    return {"start": start, "first_day_in_statements": _add_months(start, 1), **figures}


def issue(actor: User, slug: str, months) -> SalesStatement:
    """The chair or the treasurer issues a statement of the last 3, 6 or 12 complete months; valid for
    VALID_DAYS."""
    group = group_for(actor, slug, roles.STATEMENT)
    if months not in PERIODS:
        raise ValidationFailed(_("Pilih 3, 6 atau 12 bulan."), {"months": [_("Pilih 3, 6 atau 12 bulan.")]})
    start, last_day = period_of(months)
    end = last_day + timedelta(days=1)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    snapshot = {
        "code": code,  # the fingerprint binds the figures to this statement
        "group": {
            "name": group.name,
            "regency": group.regency_name,
            "province": group.province_name,
            "district": group.district,
            "village": group.village,
            "founded_year": group.founded_year,
            "business_type": group.business_type,
            "member_count": group.member_count,
        },
        "period": {"start": start.isoformat(), "end": (end - timedelta(days=1)).isoformat(), "months": months},
        "issued_on": today_wib().isoformat(),
        **_figures(group, start, end),
    }
    now = utcnow()
    statement = SalesStatement(
        group_id=group.id,
        code=code,
        months=months,
        period_start=start,
        period_end=end - timedelta(days=1),
        snapshot=snapshot,
        snapshot_hash=digest(snapshot),
        issued_by_id=actor.id,
        issued_at=now,
        expires_at=now + timedelta(days=VALID_DAYS),
    )
    db.session.add(statement)
    db.session.commit()
    return statement


def statements_of(actor: User, slug: str):
    """The group's statements, newest first, and what of it waits for an officer (held_figures)."""
    group = group_for_member(actor, slug)
    rows = list(
        db.session.scalars(
            select(SalesStatement).where(SalesStatement.group_id == group.id).order_by(SalesStatement.id.desc())
        )
    )
    return group, rows, held_figures(group)


def statement_for_member(actor: User, slug: str, code: str) -> SalesStatement:
    group = group_for_member(actor, slug)
    row = db.session.scalar(
        select(SalesStatement).where(SalesStatement.group_id == group.id, SalesStatement.code == code)
    )
    if row is None:
        raise NotFound(_("Rekap tidak ditemukan."))
    return row


def revoke(actor: User, slug: str, code: str) -> SalesStatement:
    group_for(actor, slug, roles.STATEMENT)
    row = statement_for_member(actor, slug, code)
    if row.revoked_at is not None:
        raise Conflict(_("Rekap ini sudah dicabut."))
    row.revoked_at = utcnow()
    db.session.commit()
    return row


def state_of(row: SalesStatement) -> str:
    """valid | expired | revoked | altered (the stored figures no longer match what was issued)."""
    if digest(row.snapshot) != row.snapshot_hash:
        return "altered"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= utcnow():
        return "expired"
    return "valid"


def verify(code: str) -> tuple[SalesStatement, str]:
    """What a lender sees: the statement by its code, whoever asks."""
    row = db.session.scalar(select(SalesStatement).where(SalesStatement.code == (code or "").strip().upper()[:16]))
    if row is None:
        raise NotFound(_("Tidak ada rekap dengan kode ini."))
    return row, state_of(row)
