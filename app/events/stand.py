"""Paying at the stand: a reservation for pick-up at an event, paid in cash (or the group's own QRIS)
when the buyer collects it. The group's member marks it paid there; unpaid, it runs out at the end of
the event's last day and the stock comes back."""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.core.errors import Conflict, NotFound
from app.extensions import db
from app.orders import services as orders
from app.orders import ways_to_pay
from app.orders.models import Checkout, CheckoutStatus
from app.payments.services import confirm_by_hand, payment_of, record


class AtTheStand(ways_to_pay.PaymentMethod):
    code = "at_stand"
    position = 40

    def label(self, organisation) -> str:
        return _("Bayar di stan saat mengambil (pesanan untuk diambil di acara)")

    def offered_for(self, quote) -> bool:
        return len(quote.groups) == 1 and bool(quote.groups[0].pickup_points)

    def unfit_for(self, quote) -> str | None:
        if len(quote.groups) != 1 or quote.groups[0].pickup is None:
            return _(
                "Bayar di stan hanya untuk pesanan dari satu kelompok yang diambil di acara. "
                "Pilih \u201cAmbil di acara\u201d atau cara bayar lain."
            )
        return None

    def deadline(self, quote, now):
        return quote.groups[0].pickup.until

    def record(self, checkout, prepared, organisation) -> None:
        payment = record(checkout, None)
        payment.payee_group_id = checkout.orders[0].group_id


def paid_at_stand(actor: User, checkout_id: int) -> Checkout:
    """A member of the group takes the money at the stand."""

    checkout = db.session.get(Checkout, checkout_id)
    payment = payment_of(checkout) if checkout is not None else None
    if (
        checkout is None
        or payment is None
        or payment.method != AtTheStand.code
        or payment.payee_group_id is None
        or not orders.is_member(actor, payment.payee_group_id)
    ):
        raise NotFound(_("Pesanan tidak ditemukan."))
    if checkout.status != CheckoutStatus.PENDING_PAYMENT:
        raise Conflict(_("Pesanan ini tidak menunggu pembayaran."))
    confirm_by_hand(payment, checkout, actor, "paid at the stand")
    return checkout


def register() -> None:
    ways_to_pay.register(AtTheStand())
