"""Sales statements a lender can verify: the platform's sales of the group (paid or invoiced, not
cancelled or refunded) and its declared offline sales, month by month, kept as issued."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.catalog.models import Product, today_wib
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import group_for_chair, group_for_member
from app.orders.models import SOLD_STATUSES, Checkout, Order

from .models import OfflineSale, SalesStatement

PERIODS = (3, 6, 12)
VALID_DAYS = 90
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def digest(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _figures(group: Group, start: date, end: date) -> dict:
    """The numbers of [start, end): per month, platform and offline apart, and the totals."""
    lo, hi = (datetime(d.year, d.month, d.day, tzinfo=timezone.utc) for d in (start, end))
    months = {}
    month = start
    while month < end:
        months[f"{month:%Y-%m}"] = {"month": f"{month:%Y-%m}", "platform_idr": 0, "platform_orders": 0, "offline_idr": 0}
        month = _add_months(month, 1)
    buyers, businesses = set(), set()
    for created, goods, user_id, email, org_id in db.session.execute(
            select(Order.created_at, Order.goods_idr, Order.user_id, Checkout.email, Order.organisation_id)
            .join(Checkout, Checkout.id == Order.checkout_id)
            .where(Order.group_id == group.id, Order.status.in_(SOLD_STATUSES), Order.created_at >= lo, Order.created_at < hi)):
        row = months.get(f"{created:%Y-%m}")
        if row is None:
            continue
        row["platform_idr"] += goods
        row["platform_orders"] += 1
        buyers.add(f"u{user_id}" if user_id else f"e{(email or '').lower()}")
        if org_id:
            businesses.add(org_id)
    for sold_on, total in db.session.execute(select(OfflineSale.sold_on, OfflineSale.total_idr).where(
            OfflineSale.group_id == group.id, OfflineSale.replaced_by_id.is_(None),
            OfflineSale.sold_on >= start, OfflineSale.sold_on < end)):
        months[f"{sold_on:%Y-%m}"]["offline_idr"] += total
    from app.wholesale.services import partners_of_group

    today = today_wib()
    products, with_permit = db.session.execute(select(
        func.count(), func.count().filter(Product.permit_valid_until >= today)).where(
        Product.group_id == group.id, Product.status == "active")).one()
    rows = list(months.values())
    return {
        "months": rows,
        "platform_idr": sum(r["platform_idr"] for r in rows), "platform_orders": sum(r["platform_orders"] for r in rows),
        "offline_idr": sum(r["offline_idr"] for r in rows),
        "buyers": len(buyers), "business_buyers": len(businesses), "partnerships": len(partners_of_group(group)),
        "products": products, "products_with_permit": with_permit,
    }


def issue(actor: User, slug: str, months) -> SalesStatement:
    """The chair issues a statement of the last 3, 6 or 12 complete months; valid for VALID_DAYS."""
    group = group_for_chair(actor, slug)
    if months not in PERIODS:
        raise ValidationFailed(_("Pilih 3, 6 atau 12 bulan."), {"months": [_("Pilih 3, 6 atau 12 bulan.")]})
    end = today_wib().replace(day=1)
    start = _add_months(end, -months)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    snapshot = {
        "code": code,  # the fingerprint binds the figures to this statement
        "group": {"name": group.name, "regency": group.regency_name, "province": group.province_name,
                  "district": group.district, "village": group.village, "founded_year": group.founded_year,
                  "business_type": group.business_type, "member_count": group.member_count},
        "period": {"start": start.isoformat(), "end": (end - timedelta(days=1)).isoformat(), "months": months},
        "issued_on": today_wib().isoformat(),
        **_figures(group, start, end),
    }
    now = utcnow()
    statement = SalesStatement(group_id=group.id, code=code,
                               months=months, period_start=start, period_end=end - timedelta(days=1),
                               snapshot=snapshot, snapshot_hash=digest(snapshot), issued_by_id=actor.id,
                               issued_at=now, expires_at=now + timedelta(days=VALID_DAYS))
    db.session.add(statement)
    db.session.commit()
    return statement


def statements_of(actor: User, slug: str) -> tuple[Group, list[SalesStatement]]:
    group = group_for_member(actor, slug)
    return group, list(db.session.scalars(select(SalesStatement).where(SalesStatement.group_id == group.id)
                                          .order_by(SalesStatement.id.desc())))


def statement_for_member(actor: User, slug: str, code: str) -> SalesStatement:
    group = group_for_member(actor, slug)
    row = db.session.scalar(select(SalesStatement).where(SalesStatement.group_id == group.id,
                                                         SalesStatement.code == code))
    if row is None:
        raise NotFound(_("Rekap tidak ditemukan."))
    return row


def revoke(actor: User, slug: str, code: str) -> SalesStatement:
    group_for_chair(actor, slug)
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
