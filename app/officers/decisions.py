"""Officers' queues and decisions: groups, permits and figures waiting for an officer, and the decisions
on them (moderation too). Scope (app/accounts/scope.py) is enforced here: an officer of a province or a
kabupaten/kota sees and acts only there; outside it is Forbidden (403) or NotFound."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.scope import Area, check_scope, log_decision, reason_given, scope_of
from app.catalog import search
from app.catalog.models import Permit, PriceFlag, Product
from app.core import mail
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.money import format_rupiah
from app.core.timefmt import long_date
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import member_emails
from app.sales.models import OfflineSale

# ------------------------------------------------------------------ queues and decisions


def group_queue(actor: User) -> list[Group]:
    area = scope_of(actor)
    return list(
        db.session.scalars(
            select(Group)
            .where(Group.status == "pending", area.where(Group.province_code, Group.regency_code))
            .order_by(Group.created_at)
        )
    )


def next_permit(actor: User, after_id: int) -> Permit | None:
    """The permit waiting longest in the actor's queue, other than the one just looked at."""
    return db.session.scalars(_waiting_permits(actor).where(Permit.id != after_id).limit(1)).first()


def permit_queue(actor: User) -> list[Permit]:
    return list(db.session.scalars(_waiting_permits(actor)))


def _waiting_permits(actor: User):
    """Submitted permits of groups in the actor's area, the longest waiting first."""
    area = scope_of(actor)
    return (
        select(Permit)
        .join(Product, Product.id == Permit.product_id)
        .join(Group, Group.id == Product.group_id)
        .where(Permit.status == "submitted", area.where(Group.province_code, Group.regency_code))
        .order_by(Permit.created_at, Permit.id)
    )


def permit_in_scope(actor: User, permit_id: int) -> Permit:
    permit = db.session.get(Permit, permit_id)
    if permit is None:
        raise NotFound(_("Izin tidak ditemukan."))
    product = db.session.get(Product, permit.product_id)
    assert product is not None  # permits.product_id: a foreign key, not null, deleted with its product
    group = product.group
    check_scope(actor, group.province_code, group.regency_code)
    return permit


def decide_permit(actor: User, permit_id: int, decision: str, reason: str | None = None) -> Permit:
    permit = permit_in_scope(actor, permit_id)
    if decision not in ("verified", "rejected"):
        raise ValidationFailed(_("Keputusan tidak dikenal."))
    if permit.status not in ("submitted", "in_process") and not (
        decision == "rejected" and permit.status == "verified"
    ):
        raise Conflict(_("Izin ini berstatus %(s)s.", s=permit.status))
    text = reason_given(reason, required=decision == "rejected")
    permit.status, permit.reason = decision, text
    permit.decided_by_id, permit.decided_at = actor.id, utcnow()
    product = db.session.get(Product, permit.product_id)
    assert product is not None  # as in permit_in_scope
    product.refresh_permit_validity()
    log_decision(actor, "permit", permit.id, decision, text, product.group.province_code, product.group.regency_code)
    db.session.commit()
    mail.send(
        member_emails(product.group_id),
        _("Izin %(n)s: %(d)s", n=permit.number, d=decision),
        _("Izin %(n)s untuk %(p)s: %(d)s.", n=permit.number, p=product.name, d=decision)
        + (f"\n{text}" if text else ""),
    )
    return permit


def moderate_product(actor: User, product_id: int, hide: bool, reason: str | None = None) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    check_scope(actor, product.group.province_code, product.group.regency_code)
    text = reason_given(reason, required=hide)
    product.hidden, product.hidden_reason = hide, (text if hide else None)
    log_decision(
        actor,
        "product",
        product.id,
        "hidden" if hide else "shown",
        text,
        product.group.province_code,
        product.group.regency_code,
    )
    db.session.flush()
    search.refresh_scores(product.id)
    db.session.commit()
    return product


# ------------------------------------------------------------------ figures an officer checks


def review_queue_in(area: Area) -> tuple[list[PriceFlag], list[tuple[OfflineSale, Group]]]:
    """Prices far above their category's and declared months far above a group's history, in the area,
    waiting for an officer (app/catalog/prices.py, app/sales/services.py)."""
    flags = list(
        db.session.scalars(
            select(PriceFlag)
            .join(Product, Product.id == PriceFlag.product_id)
            .join(Group, Group.id == Product.group_id)
            .where(PriceFlag.status == "open", area.where(Group.province_code, Group.regency_code))
            .order_by(PriceFlag.created_at)
        )
    )
    entries = [
        tuple(r)
        for r in db.session.execute(
            select(OfflineSale, Group)
            .join(Group, Group.id == OfflineSale.group_id)
            .where(
                OfflineSale.review_status == "open",
                OfflineSale.replaced_by_id.is_(None),
                area.where(Group.province_code, Group.regency_code),
            )
            .order_by(OfflineSale.created_at)
        )
    ]
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
    mail.send(
        member_emails(group.id),
        _("Harga %(p)s: %(d)s", p=flag.product.name, d=said),
        _(
            "Petugas memeriksa harga %(p)s (%(x)s). Keputusan: %(d)s.",
            p=flag.product.name,
            x=format_rupiah(flag.price_idr),
            d=said,
        )
        + (f"\n{text}" if text else ""),
    )
    return flag


def decide_offline_sale(actor: User, sale_id: int, decision: str, reason: str | None = None) -> OfflineSale:
    """accepted: the declared entry counts; rejected: it stays in the group's book but counts nowhere."""
    sale = db.session.get(OfflineSale, sale_id)
    if sale is None:
        raise NotFound(_("Tidak ditemukan."))
    group = db.session.get(Group, sale.group_id)
    assert group is not None  # offline_sales.group_id: a foreign key, not null, deleted with its group
    check_scope(actor, group.province_code, group.regency_code)
    text = _decision(decision, sale.review_status or "" if sale.is_current else "corrected", reason)
    sale.review_status, sale.review_reason, sale.reviewed_by_id, sale.reviewed_at = decision, text, actor.id, utcnow()
    log_decision(actor, "offline_sale", sale.id, decision, text, group.province_code, group.regency_code)
    db.session.commit()
    said = _("diterima") if decision == "accepted" else _("ditolak")
    mail.send(
        member_emails(group.id),
        _("Catatan penjualan %(d)s: %(x)s", d=long_date(sale.sold_on), x=said),
        _(
            "Petugas memeriksa catatan penjualan %(d)s (%(p)s). Keputusan: %(x)s.",
            d=long_date(sale.sold_on),
            p=sale.place,
            x=said,
        )
        + (f"\n{text}" if text else ""),
    )
    return sale
