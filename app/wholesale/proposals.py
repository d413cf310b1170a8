"""Standing orders, the cycles: a periodic job proposes each delivery's order to the group a set number of
days before (never twice for one date: a unique row per standing order and date); the group confirms it,
or adjusts it (quantity down to its stock, price) and confirms; it then becomes an order through the
checkout service, on terms when the buyer has them, under the buyer's PO number; the buyer is told."""

from __future__ import annotations

import logging
import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import jobs, mail, validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.money import format_rupiah
from app.core.timefmt import long_date, today_wib
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import member_emails as group_emails
from app.orders import checkout as orders
from app.orders import notify, quoting, shipping
from app.orders.services import is_member

from . import invoices
from .organisations import as_checkout_address, staff_of
from .standing import next_delivery
from .standing_models import Proposal, ProposalLine, StandingOrder

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ the cycles


@jobs.task("standing.cycle", every=3600)
def make_cycles(today: date | None = None) -> int:
    """For each running standing order whose next delivery is within its lead days: the proposed order for
    that date, at today's prices, unless it exists already. Returns how many were made."""
    today = today or today_wib()
    made = 0
    for order in db.session.scalars(select(StandingOrder).where(StandingOrder.status == "active")).all():
        delivery = next_delivery(order, today)
        if (delivery - today).days > order.lead_days:
            continue
        if _propose(order, delivery):
            made += 1
    return made


def _propose(order: StandingOrder, delivery: date) -> Proposal | None:
    """The proposal for one date, in its own savepoint: a second run (or a second worker) finds the
    unique (standing order, date) taken and makes nothing."""
    exists = select(Proposal.id).where(Proposal.standing_order_id == order.id, Proposal.delivery_date == delivery)
    if db.session.scalar(exists) is not None:
        return None
    proposal = Proposal(standing_order_id=order.id, delivery_date=delivery, status="proposed")
    proposal.lines = [
        ProposalLine(
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price_idr=line.product.unit_price_for(line.quantity),
        )
        for line in order.lines
    ]
    try:
        with db.session.begin_nested():
            db.session.add(proposal)
    except IntegrityError:
        log.info("standing order %s: the proposal for %s was made by another run", order.id, delivery)
        return None
    db.session.commit()
    _tell_group_of_proposal(order, proposal)
    return proposal


def _tell_group_of_proposal(order: StandingOrder, proposal: Proposal) -> None:
    mail.send(
        group_emails(order.group_id),
        _("Pesanan rutin %(o)s untuk %(d)s", o=order.organisation.name, d=long_date(proposal.delivery_date)),
        _(
            "%(o)s memesan rutin untuk dikirim %(d)s:\n%(lines)s\nKonfirmasi atau sesuaikan (jumlah, harga) di "
            "halaman permintaan penawaran kelompok Anda.",
            o=order.organisation.name,
            d=long_date(proposal.delivery_date),
            lines=_lines_text(proposal),
        ),
    )


def _lines_text(proposal: Proposal) -> str:
    return "\n".join(
        f"- {line.quantity} {line.product.unit} {line.product.name} × {format_rupiah(line.unit_price_idr)}"
        for line in proposal.lines
    )


# ------------------------------------------------------------------ the group's side


def proposals_for_group(group: Group) -> list[Proposal]:
    """The proposals waiting for the group's confirmation, the nearest delivery first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .join(StandingOrder, StandingOrder.id == Proposal.standing_order_id)
            .where(StandingOrder.group_id == group.id, Proposal.status == "proposed")
            .order_by(Proposal.delivery_date, Proposal.id)
        )
    )


def proposals_to_confirm(group_id: int) -> tuple[int, int | None]:
    """How many proposals wait for the group (for its home), and the first of them."""
    count, first = db.session.execute(
        select(func.count(Proposal.id), func.min(Proposal.id))
        .join(StandingOrder, StandingOrder.id == Proposal.standing_order_id)
        .where(StandingOrder.group_id == group_id, Proposal.status == "proposed")
    ).one()
    return count, first


def _proposal_for_group(actor: User, standing_id: int, proposal_id: int) -> Proposal:
    # two members confirming at once: the second waits here, then finds it confirmed (one order)
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal_id).with_for_update())
    proposal = db.session.get(Proposal, proposal_id, populate_existing=True)
    if proposal is None or proposal.standing_order_id != standing_id:
        raise NotFound(_("Usulan pesanan tidak ditemukan."))
    if not is_member(actor, proposal.standing_order.group_id):
        raise NotFound(_("Usulan pesanan tidak ditemukan."))
    return proposal


def _adjust(proposal: Proposal, changes: list[dict] | None) -> None:
    """The group's adjustments: a line's quantity down (to what it has, or 0 to leave it out) and its price."""
    errors: dict[str, list[str]] = {}
    by_product = {line.product_id: line for line in proposal.lines}
    for change in changes or []:
        line = by_product.get(int(change.get("product_id") or 0))
        if line is None:
            collect(errors, "lines", _("Produk ini tidak ada di usulan pesanan."))
            continue
        quantity = validate.integer(
            change.get("quantity", line.quantity), errors, "quantity", low=0, high=line.quantity
        )
        price = validate.integer(
            change.get("unit_price_idr", line.unit_price_idr), errors, "unit_price_idr", low=100, high=1_000_000_000
        )
        if quantity is not None and quantity > line.product.stock:
            collect(errors, "quantity", _("Stok %(p)s tinggal %(n)s.", p=line.product.name, n=line.product.stock))
        elif quantity is not None and price is not None:
            line.quantity, line.unit_price_idr = quantity, price
    if not errors and not any(line.quantity for line in proposal.lines):
        collect(errors, "quantity", _("Isi jumlah paling sedikit satu produk."))
    if errors:
        db.session.rollback()
        raise ValidationFailed(_("Periksa jumlah dan harga."), errors)


def confirm(actor: User, standing_id: int, proposal_id: int, changes: list[dict] | None = None):
    """A member of the group confirms a proposal, adjusted or as it is: it becomes the group's order for the
    buyer (on terms when the buyer has them), under the buyer's PO number. 409 when it is no longer
    waiting or the stock is gone; the buyer is told."""
    proposal = _proposal_for_group(actor, standing_id, proposal_id)
    order = proposal.standing_order
    if proposal.status != "proposed" or order.status != "active":
        raise Conflict(_("Usulan pesanan ini tidak menunggu konfirmasi lagi."))
    proposed = {line.product_id: (line.quantity, line.unit_price_idr) for line in proposal.lines}
    _adjust(proposal, changes)
    if order.address is None:
        raise Conflict(_("Alamat pengiriman pesanan rutin ini sudah tidak ada: minta pembeli mengaturnya lagi."))
    method = "invoice" if invoices.can_use_terms(order.organisation) else "bank_transfer"
    proposal.status, proposal.confirmed_by_id, proposal.confirmed_at = "confirmed", actor.id, utcnow()
    checkout = _write_order(proposal, method)  # commits the confirmation with the order
    proposal.checkout_id = checkout.id
    db.session.commit()
    _tell_buyer(proposal, proposed, checkout, method)
    return checkout


def _pooled(proposal: Proposal) -> quoting.Quote:
    """The checkout's quote: the group's one order at the confirmed prices, shipping at today's rates."""
    order = proposal.standing_order
    gq = quoting.GroupQuote(group=order.group)
    gq.lines = [
        quoting.QuoteLine(line.product, line.quantity, line.unit_price_idr) for line in proposal.lines if line.quantity
    ]
    gq.zone = shipping.zone(order.group.province_code, order.address.province_code)
    gq.shipping_idr = shipping.cost(gq.weight_g, gq.zone, shipping.rates())
    return quoting.Quote(groups=[gq], errors={}, stock_errors={})


def _write_order(proposal: Proposal, method: str):
    """As an accepted offer becomes orders (offers._write_orders): the checkout in the buyer's name, its
    outlet, the stock drawn; a Conflict says what is left."""
    order = proposal.standing_order
    buyer = order.created_by
    values = orders.clean_address(as_checkout_address(order.address), {})
    items = [(line.product_id, line.quantity) for line in proposal.lines if line.quantity]
    try:
        return orders.write_checkout(
            buyer,
            method,
            _pooled(proposal),
            values,
            buyer.email,
            buyer.phone or values["ship_phone"],
            _("Pesanan rutin %(n)s, kirim %(d)s", n=order.number, d=long_date(proposal.delivery_date)),
            secrets.token_urlsafe(24),
            None,
            items=items,
            org=order.organisation,
            po_number=order.po_number,
        )
    except Conflict as exc:
        db.session.rollback()
        raise Conflict(_("%(what)s Kurangi jumlahnya, lalu konfirmasi lagi.", what=exc.detail), exc.errors) from None


def _change(line: ProposalLine, quantity: int, price: int) -> str:
    if (line.quantity, line.unit_price_idr) == (quantity, price):
        return ""
    return _(
        "%(p)s: %(a)s menjadi %(b)s %(u)s, harga %(x)s menjadi %(y)s.",
        p=line.product.name,
        a=quantity,
        b=line.quantity,
        u=line.product.unit,
        x=format_rupiah(price),
        y=format_rupiah(line.unit_price_idr),
    )


def _tell_buyer(proposal: Proposal, proposed: dict[int, tuple[int, int]], checkout, method: str) -> None:
    """The buyer's staff hear that the delivery is confirmed, and what the group changed."""
    order = proposal.standing_order
    changed = [_change(line, *proposed[line.product_id]) for line in proposal.lines]
    changed = [c for c in changed if c]
    body = _(
        "%(g)s mengonfirmasi pesanan rutin %(n)s untuk dikirim %(d)s: pesanan %(o)s, total %(t)s (nomor PO %(po)s).",
        g=order.group.name,
        n=order.number,
        d=long_date(proposal.delivery_date),
        o=", ".join(o.number for o in checkout.orders),
        t=format_rupiah(checkout.total_idr),
        po=order.po_number or "-",
    )
    if changed:
        body += "\n" + _("Disesuaikan oleh kelompok:") + "\n" + "\n".join(changed)
    staff = [s.user.email for s in staff_of(order.organisation)]
    mail.send(staff, _("Pesanan rutin %(n)s dikonfirmasi", n=order.number), body)
    if method != "invoice":
        notify.checkout_placed(checkout)  # how to pay
