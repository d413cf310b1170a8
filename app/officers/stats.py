"""The program's numbers for an area (officers' dashboards, GET /api/v1/stats, the exports): counted with
one grouped query per table, kept per area in a snapshot that the job `stats.refresh` recounts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select, text, union
from sqlalchemy.exc import IntegrityError

from app.accounts.scope import Area
from app.catalog.models import Product
from app.core import jobs, regions
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import BUSINESS_TYPES, Group
from app.ledger.services import money_reached_by
from app.orders import counting
from app.orders.models import Order
from app.sales.models import HELD_REVIEWS, OfflineSale, SalesStatement, declared_counts, declared_held
from app.wholesale.models import Partnership

from .decisions import review_queue_in
from .models import StatsSnapshot

# ------------------------------------------------------------------ snapshots


def _partner_pairs():
    repeat = counting.repeat_pairs()
    recorded = select(Partnership.group_id.label("group_id"), Partnership.organisation_id.label("organisation_id"))
    return union(repeat, recorded).subquery()


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def stats(area: Area, months: int = 12) -> dict:
    """The program's numbers for an area, from its snapshot (`stats_snapshots`) when that was counted
    less than OFFICER_STATS_SECONDS ago (the job `stats.refresh` recounts each minute the areas officers
    look at). A stale or missing snapshot is counted now by one request; on PostgreSQL the others asking
    meanwhile get the last numbers instead of counting too. `as_of` says when they were counted.
    OFFICER_STATS_SECONDS=0: always counted now."""
    from flask import current_app

    seconds = int(current_app.config.get("OFFICER_STATS_SECONDS", 60))
    if seconds <= 0:
        return dict(count_stats(area, months), as_of=utcnow().isoformat())
    key = _snapshot_key(area, months)
    row = db.session.get(StatsSnapshot, key)
    if row is not None:
        fresh = (utcnow() - row.counted_at).total_seconds() < seconds
        if fresh or not _claim(key):
            return dict(row.data)
    return _count_and_keep(area, months, key)


def _snapshot_key(area: Area, months: int) -> str:
    return f"{area.province or '-'}:{area.regency or '-'}:{months}"


def _claim(key: str) -> bool:
    """Whether this transaction may recount the area (no one else is): a PostgreSQL advisory lock held
    until commit. SQLite (one writer anyway): always."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(func.hashtext("stats:" + key)))))


def _count_and_keep(area: Area, months: int, key: str) -> dict:
    now = utcnow()
    data = dict(count_stats(area, months), as_of=now.isoformat())
    row = db.session.get(StatsSnapshot, key)
    if row is None:
        db.session.add(StatsSnapshot(area_key=key, data=data, counted_at=now))
    else:
        row.data, row.counted_at = data, now
    try:
        db.session.commit()
    except IntegrityError:  # another server wrote the first snapshot of this area meanwhile
        db.session.rollback()
    return data


@jobs.task("stats.refresh", every=60)
def refresh_stats() -> int:
    """The job `stats.refresh` (each minute): recount every area's snapshot older than half the
    keeping time, so officers' requests find fresh numbers. Returns how many were recounted."""
    from flask import current_app

    seconds = int(current_app.config.get("OFFICER_STATS_SECONDS", 60))
    due = utcnow() - timedelta(seconds=max(seconds // 2, 1))
    keys = list(db.session.scalars(select(StatsSnapshot.area_key).where(StatsSnapshot.counted_at < due)))
    db.session.rollback()
    for key in keys:
        province, regency, months = key.split(":")
        area = Area(None if province == "-" else province, None if regency == "-" else regency)
        if _claim(key):
            _count_and_keep(area, int(months), key)
        else:
            db.session.rollback()
    return len(keys)


# ------------------------------------------------------------------ counting

# the figures of each kabupaten/kota, added up for the area
_REGENCY_FIGURES = (
    "groups",
    "verified_groups",
    "members",
    "products",
    "products_with_permit",
    "export_ready_products",
    "orders",
    "sales_idr",
    "sales_seen_idr",
    "sales_group_received_idr",
    "sales_invoiced_idr",
    "held_sales_idr",
    "offline_sales_idr",
    "held_offline_sales_idr",
    "money_reached_idr",
)


def count_stats(area: Area, months: int = 12) -> dict:
    """The program's numbers for an area: one grouped query per table."""
    # every number counts the groups of the area that were not rejected, and what belongs to them
    in_area = and_(area.where(Group.province_code, Group.regency_code), Group.status != "rejected")
    by_regency: dict[str, dict] = {}
    by_type = _count_groups(in_area, by_regency)
    _count_products(in_area, by_regency)
    by_month = _count_sales(in_area, months, by_regency)
    _count_declared(in_area, by_regency)
    _count_money_reached(in_area, by_regency)
    figures_to_check = sum(len(x) for x in review_queue_in(area))
    groups_with_statement = _groups_with_statement(in_area)
    partnerships, groups_with_partner = _count_partners(in_area)
    regs = sorted(by_regency.values(), key=lambda r: r["code"])
    return {
        "area": {"province": area.province, "regency": area.regency, "name": area.name},
        **{key: sum(r[key] for r in regs) for key in _REGENCY_FIGURES},
        "figures_to_check": figures_to_check,
        "partnerships": partnerships,
        "groups_with_partner": groups_with_partner,
        "groups_with_statement": groups_with_statement,
        "by_business_type": by_type,
        "by_regency": regs,
        "by_month": by_month,
    }


def _regency_row(by_regency: dict[str, dict], code: str) -> dict:
    """The figures of one kabupaten/kota, all 0 until counted."""
    if code not in by_regency:
        by_regency[code] = {"code": code, "name": regions.regency_name(code), **dict.fromkeys(_REGENCY_FIGURES, 0)}
    return by_regency[code]


def _count_groups(in_area, by_regency: dict[str, dict]) -> dict[str, dict]:
    """Groups, verified groups and members per kabupaten/kota; the same per business type (returned)."""
    by_type = {t: {"groups": 0, "verified_groups": 0, "members": 0} for t in BUSINESS_TYPES}
    for regency, btype, n, verified, members in db.session.execute(
        select(
            Group.regency_code,
            Group.business_type,
            func.count(Group.id),
            func.sum(case((Group.status == "verified", 1), else_=0)),
            func.sum(Group.member_count),
        )
        .where(in_area)
        .group_by(Group.regency_code, Group.business_type)
    ):
        r = _regency_row(by_regency, regency)
        r["groups"] += n
        r["verified_groups"] += int(verified or 0)
        r["members"] += int(members or 0)
        t = by_type.setdefault(btype, {"groups": 0, "verified_groups": 0, "members": 0})
        t["groups"] += n
        t["verified_groups"] += int(verified or 0)
        t["members"] += int(members or 0)
    return by_type


def _count_products(in_area, by_regency: dict[str, dict]) -> None:
    """One pass over the index (group_id, status, permit_valid_until): products, those with a valid permit,
    and those ready for export."""
    today = today_wib()
    for regency, n, with_permit, export_ready in db.session.execute(
        select(
            Group.regency_code,
            func.count(),
            func.count().filter(Product.permit_valid_until >= today),
            func.count().filter(Product.export_until >= today),
        )
        .select_from(Product)
        .join(Group, Group.id == Product.group_id)
        .where(in_area, Product.status == "active")
        .group_by(Group.regency_code)
    ):
        r = _regency_row(by_regency, regency)
        r["products"], r["products_with_permit"], r["export_ready_products"] = n, with_permit, export_ready


def _count_sales(in_area, months: int, by_regency: dict[str, dict]) -> list[dict]:
    """The orders that count as sales (app/orders/counting.py), by who saw the money, held ones apart, and
    by month (the last `months`, returned): one pass over the orders."""
    if db.session.get_bind().dialect.name == "postgresql":
        # the planner's guess at the per-order checks' cost would have the query compiled (JIT): seconds
        # spent to save milliseconds
        db.session.execute(text("SET LOCAL jit = off"))
    sold = (
        counting.sales(in_area, with_held=True)
        .join(Group, Group.id == Order.group_id)
        .add_columns(Group.regency_code)
        .subquery()
    )
    kinds = {
        counting.SEEN_BY_PLATFORM: "sales_seen_idr",
        counting.GROUP_SAYS: "sales_group_received_idr",
        counting.INVOICED: "sales_invoiced_idr",
    }
    since = f"{(utcnow().replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1):%Y-%m}"
    by_month_of: dict[str, dict] = {}
    month = _month(sold.c.created_at)
    for regency, kind, held, ym, n, sales in db.session.execute(
        select(sold.c.regency_code, sold.c.kind, sold.c.held, month, func.count(), func.sum(sold.c.goods_idr)).group_by(
            sold.c.regency_code, sold.c.kind, sold.c.held, month
        )
    ):
        r, sales = _regency_row(by_regency, regency), int(sales or 0)
        if held:
            r["held_sales_idr"] += sales
            continue
        r["orders"] += n
        r["sales_idr"] += sales
        r[kinds[kind]] += sales
        if ym >= since:
            m = by_month_of.setdefault(ym, {"month": ym, "orders": 0, "sales_idr": 0, "sales_seen_idr": 0})
            m["orders"] += n
            m["sales_idr"] += sales
            m["sales_seen_idr"] += sales if kind == counting.SEEN_BY_PLATFORM else 0
    return [by_month_of[m] for m in sorted(by_month_of)]


def _count_declared(in_area, by_regency: dict[str, dict]) -> None:
    """Declared by the groups (their sales book): kept apart from the platform's sales; those waiting for
    an officer (or refused) apart again."""
    for regency, review, declared in db.session.execute(
        select(Group.regency_code, OfflineSale.review_status, func.sum(OfflineSale.total_idr))
        .join(Group, Group.id == OfflineSale.group_id)
        .where(in_area, or_(declared_counts(), declared_held()))
        .group_by(Group.regency_code, OfflineSale.review_status)
    ):
        key = "held_offline_sales_idr" if review in HELD_REVIEWS else "offline_sales_idr"
        _regency_row(by_regency, regency)[key] += int(declared or 0)


def _count_money_reached(in_area, by_regency: dict[str, dict]) -> None:
    """Money that reached the groups, from the ledger (ledger.services.money_reached): completed sales' net and
    money paid straight to them, less what was given back."""
    for regency, amount in db.session.execute(money_reached_by(Group.regency_code, in_area)):
        _regency_row(by_regency, regency)["money_reached_idr"] += int(amount or 0)


def _groups_with_statement(in_area) -> int:
    """The program's access-to-capital indicator: groups holding a sales statement that still stands."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(SalesStatement.group_id)))
            .join(Group, Group.id == SalesStatement.group_id)
            .where(in_area, SalesStatement.revoked_at.is_(None), SalesStatement.expires_at > utcnow())
        )
        or 0
    )


def _count_partners(in_area) -> tuple[int, int]:
    """Partnerships (repeat buyers and recorded agreements) and the groups that have one."""
    pairs = _partner_pairs()
    partnerships, groups_with_partner = db.session.execute(
        select(func.count(), func.count(func.distinct(pairs.c.group_id)))
        .select_from(pairs)
        .join(Group, Group.id == pairs.c.group_id)
        .where(in_area)
    ).one()
    return partnerships, groups_with_partner
