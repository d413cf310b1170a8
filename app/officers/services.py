"""Officers (petugas BKKBN / penyuluh): verification queues, decisions, region statistics, groups that
need help, moderation. Scope (app/accounts/scope.py) is enforced here, in the services: an officer of a
province or a kabupaten/kota sees and acts only there; outside it is Forbidden (403) or NotFound."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select, text, union
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.scope import Area, check_scope, log_decision, reason_given, scope_of
from app.catalog import search
from app.catalog.models import Permit, Photo, PriceFlag, Product
from app.core import jobs, mail, regions
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.money import format_rupiah
from app.core.timefmt import long_date, today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import BUSINESS_TYPES, Group
from app.groups.services import member_emails
from app.orders import counting
from app.orders.models import Order
from app.sales.models import HELD_REVIEWS, OfflineSale, SalesStatement, declared_counts, declared_held
from app.wholesale.models import Partnership

from .models import StatsSnapshot

# ------------------------------------------------------------------ queues and decisions

def group_queue(actor: User) -> list[Group]:
    area = scope_of(actor)
    return list(db.session.scalars(select(Group).where(Group.status == "pending",
                                                       area.where(Group.province_code, Group.regency_code))
                                   .order_by(Group.created_at)))


def permit_queue(actor: User) -> list[Permit]:
    area = scope_of(actor)
    return list(db.session.scalars(
        select(Permit).join(Product, Product.id == Permit.product_id).join(Group, Group.id == Product.group_id)
        .where(Permit.status == "submitted", area.where(Group.province_code, Group.regency_code))
        .order_by(Permit.created_at)))


def permit_in_scope(actor: User, permit_id: int) -> Permit:
    permit = db.session.get(Permit, permit_id)
    if permit is None:
        raise NotFound(_("Izin tidak ditemukan."))
    group = db.session.get(Product, permit.product_id).group
    check_scope(actor, group.province_code, group.regency_code)
    return permit


def decide_permit(actor: User, permit_id: int, decision: str, reason: str | None = None) -> Permit:
    permit = permit_in_scope(actor, permit_id)
    if decision not in ("verified", "rejected"):
        raise ValidationFailed(_("Keputusan tidak dikenal."))
    if permit.status not in ("submitted", "in_process") and not (decision == "rejected" and permit.status == "verified"):
        raise Conflict(_("Izin ini berstatus %(s)s.", s=permit.status))
    text = reason_given(reason, required=decision == "rejected")
    permit.status, permit.reason = decision, text
    permit.decided_by_id, permit.decided_at = actor.id, utcnow()
    product = db.session.get(Product, permit.product_id)
    product.refresh_permit_validity()
    log_decision(actor, "permit", permit.id, decision, text, product.group.province_code, product.group.regency_code)
    db.session.commit()
    mail.send(member_emails(product.group_id), _("Izin %(n)s: %(d)s", n=permit.number, d=decision),
              _("Izin %(n)s untuk %(p)s: %(d)s.", n=permit.number, p=product.name, d=decision) + (f"\n{text}" if text else ""))
    return permit


def moderate_product(actor: User, product_id: int, hide: bool, reason: str | None = None) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    check_scope(actor, product.group.province_code, product.group.regency_code)
    text = reason_given(reason, required=hide)
    product.hidden, product.hidden_reason = hide, (text if hide else None)
    log_decision(actor, "product", product.id, "hidden" if hide else "shown", text, product.group.province_code,
         product.group.regency_code)
    db.session.flush()
    search.refresh_scores(product.id)
    db.session.commit()
    return product


# ------------------------------------------------------------------ figures an officer checks

def review_queue_in(area: Area) -> tuple[list[PriceFlag], list[tuple[OfflineSale, Group]]]:
    """Prices far above their category's and declared months far above a group's history, in the area,
    waiting for an officer (app/catalog/prices.py, app/sales/services.py)."""
    flags = list(db.session.scalars(
        select(PriceFlag).join(Product, Product.id == PriceFlag.product_id).join(Group, Group.id == Product.group_id)
        .where(PriceFlag.status == "open", area.where(Group.province_code, Group.regency_code))
        .order_by(PriceFlag.created_at)))
    entries = [tuple(r) for r in db.session.execute(
        select(OfflineSale, Group).join(Group, Group.id == OfflineSale.group_id)
        .where(OfflineSale.review_status == "open", OfflineSale.replaced_by_id.is_(None),
               area.where(Group.province_code, Group.regency_code))
        .order_by(OfflineSale.created_at))]
    return flags, entries


def review_queue(actor: User) -> tuple[list[PriceFlag], list[tuple[OfflineSale, Group]]]:
    return review_queue_in(scope_of(actor))


def _decision(decision: str, status: str, reason: str | None) -> str | None:
    if decision not in ("accepted", "rejected"):
        raise ValidationFailed(_("Keputusan tidak dikenal."))
    if status != "open":
        raise Conflict(_("Angka ini sudah diputuskan."))
    return reason_given(reason, required=decision == "rejected")


def decide_price(actor: User, flag_id: int, decision: str, reason: str | None = None) -> PriceFlag:
    """accepted: the orders at up to that price count as sales; rejected: they stay out of every figure."""
    flag = db.session.get(PriceFlag, flag_id)
    if flag is None:
        raise NotFound(_("Tidak ditemukan."))
    group = flag.product.group
    check_scope(actor, group.province_code, group.regency_code)
    text = _decision(decision, flag.status, reason)
    flag.status, flag.reason, flag.decided_by_id, flag.decided_at = decision, text, actor.id, utcnow()
    log_decision(actor, "price", flag.id, decision, text, group.province_code, group.regency_code)
    db.session.flush()
    search.refresh_scores(flag.product_id)  # its units sold count (or not) in the search's score
    db.session.commit()
    said = _("diterima") if decision == "accepted" else _("ditolak")
    mail.send(member_emails(group.id), _("Harga %(p)s: %(d)s", p=flag.product.name, d=said),
              _("Petugas memeriksa harga %(p)s (%(x)s). Keputusan: %(d)s.", p=flag.product.name,
                x=format_rupiah(flag.price_idr), d=said) + (f"\n{text}" if text else ""))
    return flag


def decide_offline_sale(actor: User, sale_id: int, decision: str, reason: str | None = None) -> OfflineSale:
    """accepted: the declared entry counts; rejected: it stays in the group's book but counts nowhere."""
    sale = db.session.get(OfflineSale, sale_id)
    if sale is None:
        raise NotFound(_("Tidak ditemukan."))
    group = db.session.get(Group, sale.group_id)
    check_scope(actor, group.province_code, group.regency_code)
    text = _decision(decision, sale.review_status or "" if sale.is_current else "corrected", reason)
    sale.review_status, sale.review_reason, sale.reviewed_by_id, sale.reviewed_at = decision, text, actor.id, utcnow()
    log_decision(actor, "offline_sale", sale.id, decision, text, group.province_code, group.regency_code)
    db.session.commit()
    said = _("diterima") if decision == "accepted" else _("ditolak")
    mail.send(member_emails(group.id), _("Catatan penjualan %(d)s: %(x)s", d=long_date(sale.sold_on), x=said),
              _("Petugas memeriksa catatan penjualan %(d)s (%(p)s). Keputusan: %(x)s.", d=long_date(sale.sold_on),
                p=sale.place, x=said) + (f"\n{text}" if text else ""))
    return sale


# ------------------------------------------------------------------ statistics

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


def count_stats(area: Area, months: int = 12) -> dict:
    """The program's numbers for an area: one grouped query per table."""
    # every number counts the groups of the area that were not rejected, and what belongs to them
    in_area = and_(area.where(Group.province_code, Group.regency_code), Group.status != "rejected")
    by_regency: dict[str, dict] = {}

    def row(code: str) -> dict:
        return by_regency.setdefault(code, {"code": code, "name": regions.regency_name(code), "groups": 0,
                                            "verified_groups": 0, "members": 0, "products": 0,
                                            "products_with_permit": 0, "export_ready_products": 0,
                                            "orders": 0, "sales_idr": 0, "sales_seen_idr": 0,
                                            "sales_group_received_idr": 0, "sales_invoiced_idr": 0,
                                            "held_sales_idr": 0, "offline_sales_idr": 0,
                                            "held_offline_sales_idr": 0})

    by_type = {t: {"groups": 0, "verified_groups": 0, "members": 0} for t in BUSINESS_TYPES}
    for regency, btype, n, verified, members in db.session.execute(
            select(Group.regency_code, Group.business_type, func.count(Group.id),
                   func.sum(case((Group.status == "verified", 1), else_=0)), func.sum(Group.member_count))
            .where(in_area).group_by(Group.regency_code, Group.business_type)):
        r = row(regency)
        r["groups"] += n
        r["verified_groups"] += int(verified or 0)
        r["members"] += int(members or 0)
        t = by_type.setdefault(btype, {"groups": 0, "verified_groups": 0, "members": 0})
        t["groups"] += n
        t["verified_groups"] += int(verified or 0)
        t["members"] += int(members or 0)
    # one pass over the index (group_id, status, permit_valid_until): products, and those with a valid permit
    today = today_wib()
    for regency, n, with_permit, export_ready in db.session.execute(
            select(Group.regency_code, func.count(), func.count().filter(Product.permit_valid_until >= today),
                   func.count().filter(Product.export_until >= today))
            .select_from(Product).join(Group, Group.id == Product.group_id)
            .where(in_area, Product.status == "active").group_by(Group.regency_code)):
        r = row(regency)
        r["products"], r["products_with_permit"], r["export_ready_products"] = n, with_permit, export_ready
    # the orders that count as sales (app/orders/counting.py), by who saw the money, held ones apart, and
    # by month: one pass over the orders
    if db.session.get_bind().dialect.name == "postgresql":
        # the planner's guess at the per-order checks' cost would have the query compiled (JIT): seconds
        # spent to save milliseconds
        db.session.execute(text("SET LOCAL jit = off"))
    sold = (counting.sales(in_area, with_held=True).join(Group, Group.id == Order.group_id)
            .add_columns(Group.regency_code).subquery())
    kinds = {counting.SEEN_BY_PLATFORM: "sales_seen_idr", counting.GROUP_SAYS: "sales_group_received_idr",
             counting.INVOICED: "sales_invoiced_idr"}
    since = f"{(utcnow().replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1):%Y-%m}"
    by_month_of: dict[str, dict] = {}
    month = _month(sold.c.created_at)
    for regency, kind, held, ym, n, sales in db.session.execute(
            select(sold.c.regency_code, sold.c.kind, sold.c.held, month, func.count(), func.sum(sold.c.goods_idr))
            .group_by(sold.c.regency_code, sold.c.kind, sold.c.held, month)):
        r, sales = row(regency), int(sales or 0)
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
    # declared by the groups (their sales book): kept apart from the platform's sales; those waiting for an
    # officer (or refused) apart again
    for regency, review, declared in db.session.execute(
            select(Group.regency_code, OfflineSale.review_status, func.sum(OfflineSale.total_idr))
            .join(Group, Group.id == OfflineSale.group_id)
            .where(in_area, or_(declared_counts(), declared_held()))
            .group_by(Group.regency_code, OfflineSale.review_status)):
        row(regency)["held_offline_sales_idr" if review in HELD_REVIEWS else "offline_sales_idr"] += int(declared or 0)
    figures_to_check = sum(len(x) for x in review_queue_in(area))
    # the program's access-to-capital indicator: groups holding a sales statement that still stands
    groups_with_statement = db.session.scalar(
        select(func.count(func.distinct(SalesStatement.group_id))).join(Group, Group.id == SalesStatement.group_id)
        .where(in_area, SalesStatement.revoked_at.is_(None), SalesStatement.expires_at > utcnow()))
    pairs = _partner_pairs()
    partnerships, groups_with_partner = db.session.execute(
        select(func.count(), func.count(func.distinct(pairs.c.group_id))).select_from(pairs)
        .join(Group, Group.id == pairs.c.group_id).where(in_area)).one()
    by_month = [by_month_of[m] for m in sorted(by_month_of)]
    regs = sorted(by_regency.values(), key=lambda r: r["code"])
    total = lambda key: sum(r[key] for r in regs)  # noqa: E731
    return {
        "area": {"province": area.province, "regency": area.regency, "name": area.name},
        "groups": total("groups"), "verified_groups": total("verified_groups"), "members": total("members"),
        "products": total("products"), "products_with_permit": total("products_with_permit"),
        "export_ready_products": total("export_ready_products"),
        "orders": total("orders"), "sales_idr": total("sales_idr"), "sales_seen_idr": total("sales_seen_idr"),
        "sales_group_received_idr": total("sales_group_received_idr"), "sales_invoiced_idr": total("sales_invoiced_idr"),
        "held_sales_idr": total("held_sales_idr"), "offline_sales_idr": total("offline_sales_idr"),
        "held_offline_sales_idr": total("held_offline_sales_idr"), "figures_to_check": figures_to_check,
        "partnerships": partnerships, "groups_with_partner": groups_with_partner,
        "groups_with_statement": groups_with_statement,
        "by_business_type": by_type, "by_regency": regs, "by_month": by_month,
    }


# ------------------------------------------------------------------ groups that need help

def need_help(area: Area, limit: int = 500) -> list[dict]:
    since = utcnow() - timedelta(days=90)
    sold = exists().where(Order.group_id == Group.id, counting.counts(Order), Order.created_at >= since)
    photo = exists().where(Product.group_id == Group.id, Product.status == "active",
                           exists().where(Photo.product_id == Product.id))
    any_permit = exists().where(Product.group_id == Group.id, exists().where(Permit.product_id == Product.id))
    verified_permit = exists().where(Product.group_id == Group.id, exists().where(
        Permit.product_id == Product.id, Permit.status == "verified"))
    rows = db.session.execute(
        select(Group, sold, photo, any_permit, verified_permit)
        .where(Group.status == "verified", area.where(Group.province_code, Group.regency_code),
               or_(~sold, ~photo, ~verified_permit))
        .order_by(Group.regency_code, Group.name).limit(limit)).all()
    out = []
    for group, has_sale, has_photo, has_permit, has_verified in rows:
        reasons = []
        if not has_sale:
            reasons.append("no_sale_90_days")
        if not has_photo:
            reasons.append("no_photo")
        if not has_permit:
            reasons.append("no_permit")
        elif not has_verified:
            reasons.append("unverified_permits_only")
        out.append({"group": group, "reasons": reasons})
    return out


def export_rows(data: dict) -> list[list]:
    keys = ("orders", "sales_idr", "sales_seen_idr", "sales_group_received_idr", "sales_invoiced_idr",
            "offline_sales_idr", "held_sales_idr", "held_offline_sales_idr")
    head = ["kode", "kabupaten/kota", "kelompok", "kelompok terverifikasi", "anggota", "produk", "produk berizin",
            "pesanan", "penjualan (Rp)", "dilihat platform (Rp)", "menurut kelompok (Rp)", "ditagih belum dibayar (Rp)",
            "dicatat kelompok di luar platform (Rp)", "pesanan menunggu petugas (Rp)", "catatan menunggu petugas (Rp)"]
    rows = [[r["code"], r["name"], r["groups"], r["verified_groups"], r["members"], r["products"],
             r["products_with_permit"], *(r[k] for k in keys)] for r in data["by_regency"]]
    rows.append(["", "JUMLAH", data["groups"], data["verified_groups"], data["members"], data["products"],
                 data["products_with_permit"], *(data[k] for k in keys)])
    return [head] + rows
