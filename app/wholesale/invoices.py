"""Invoices on terms: numbered per year without repeats or gaps, even under concurrency.

The counter row of the year is incremented with one UPDATE … RETURNING inside the transaction that
writes the invoice: the row lock makes concurrent checkouts take numbers one after the other, and a
rolled-back transaction gives its number back with it.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups import roles
from app.orders import money, ways_to_pay
from app.orders.models import CheckoutStatus, Order
from app.orders.services import is_member
from app.payments.services import record

from .models import Invoice, InvoiceCounter, Organisation
from .organisations import org_of


def today() -> date:
    return today_wib()


def next_number(year: int) -> int:
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(InvoiceCounter).values(year=year, last=0).on_conflict_do_nothing())
    return db.session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.year == year)
        .values(last=InvoiceCounter.last + 1)
        .returning(InvoiceCounter.last)
    ).scalar_one()


def issue(order: Order, org: Organisation) -> Invoice:
    """In the caller's transaction."""
    issued = today()
    invoice = Invoice(
        year=issued.year,
        sequence=next_number(issued.year),
        order_id=order.id,
        organisation_id=org.id,
        amount_idr=order.total_idr,
        issued_on=issued,
        due_on=issued + timedelta(days=org.payment_terms_days),
    )
    db.session.add(invoice)
    return invoice


def void_for(order: Order) -> None:
    invoice = db.session.scalar(select(Invoice).where(Invoice.order_id == order.id))
    if invoice is not None and invoice.status == "unpaid":
        invoice.status = "void"


def overdue_count(org: Organisation) -> int:
    return len(
        db.session.scalars(
            select(Invoice.id).where(
                Invoice.organisation_id == org.id, Invoice.status == "unpaid", Invoice.due_on < today()
            )
        ).all()
    )


def check_terms(org: Organisation | None) -> Organisation:
    if org is None or not org.is_verified:
        raise Forbidden(_("Bayar dengan invoice hanya untuk pembeli bisnis yang terverifikasi."))
    if org.payment_terms_days <= 0:
        raise Forbidden(_("Organisasi Anda belum mendapat tempo pembayaran."))
    if overdue_count(org):
        raise Forbidden(_("Ada invoice yang lewat jatuh tempo: lunasi dulu sebelum memakai tempo lagi."))
    return org


def can_use_terms(org: Organisation | None) -> bool:
    try:
        check_terms(org)
        return True
    except Forbidden:
        return False


def invoice_for(actor: User, invoice_id: int) -> Invoice:
    """The organisation's staff, the group that sold, and admins see an invoice; others get 404."""

    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(_("Invoice tidak ditemukan."))
    org = org_of(actor)
    if not (
        actor.is_admin
        or (org is not None and org.id == invoice.organisation_id)
        or is_member(actor, invoice.order.group_id)
    ):
        raise NotFound(_("Invoice tidak ditemukan."))
    return invoice


def mark_paid(actor: User, invoice_id: int) -> Invoice:
    invoice = invoice_for(actor, invoice_id)
    if not (actor.is_admin or is_member(actor, invoice.order.group_id)):
        raise NotFound(_("Invoice tidak ditemukan."))
    roles.require(actor, invoice.order.group_id, roles.MARK_INVOICE_PAID)
    if invoice.status != "unpaid":
        raise Conflict(_("Invoice ini sudah lunas atau dibatalkan."))
    invoice.status, invoice.paid_at, invoice.marked_paid_by_id = "paid", utcnow(), actor.id
    # marked by an admin: it reached the platform's account (an admin cannot see a group's); by the group: its own
    money.order_paid(invoice.order, "bank" if actor.is_admin else None, f"invoice:{invoice.number}")
    db.session.commit()
    return invoice


def list_for(actor: User, *, group_id: int | None = None, overdue_only: bool = False) -> list[Invoice]:
    stmt = select(Invoice).join(Order, Order.id == Invoice.order_id)
    if group_id is not None:
        stmt = stmt.where(Order.group_id == group_id)
    elif not actor.is_admin:
        org = org_of(actor)
        if org is None:
            return []
        stmt = stmt.where(Invoice.organisation_id == org.id)
    if overdue_only:
        stmt = stmt.where(Invoice.status == "unpaid", Invoice.due_on < today())
    return list(db.session.scalars(stmt.order_by(Invoice.due_on, Invoice.id)))


class InvoiceOnTerms(ways_to_pay.PaymentMethod):
    """A verified business buyer with terms and nothing overdue: the orders are invoiced at once and the
    groups can start; the buyer pays each invoice by its due date."""

    code = "invoice"
    initial_status = CheckoutStatus.INVOICED
    position = 10

    def label(self, organisation) -> str:
        return _("Invoice, tempo %(n)s hari", n=organisation.payment_terms_days if organisation else 0)

    def offered_to(self, buyer, organisation) -> bool:
        return can_use_terms(organisation)

    def check(self, buyer, organisation) -> None:
        check_terms(organisation)  # 403 otherwise

    def record(self, checkout, prepared, organisation) -> None:
        record(checkout, None)
        for order in checkout.orders:
            issue(order, organisation)

    def cancelled(self, order) -> None:
        void_for(order)

    def money_kind(self, order):
        """Not paid yet: nobody has seen the money. Marked paid by an admin: the money reached the
        platform's account (an admin cannot see a group's). Marked paid by the group: its word."""
        from sqlalchemy import case, exists, literal

        paid = (Invoice.order_id == order.id, Invoice.status == "paid")
        by_admin = exists().where(*paid, Invoice.marked_paid_by_id.in_(select(User.id).where(User.role == "admin")))
        return case(
            (by_admin, literal(ways_to_pay.SEEN_BY_PLATFORM)),
            (exists().where(*paid), literal(ways_to_pay.GROUP_SAYS)),
            else_=literal(ways_to_pay.INVOICED),
        )


def register_method() -> None:
    ways_to_pay.register(InvoiceOnTerms())
