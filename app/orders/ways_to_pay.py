"""How a checkout meets the ways to pay, and the buyers' organisations: interfaces and registries.

Checkout (this package) knows payment methods only through `PaymentMethod`: bank transfer and card
are adapters in app/payments, invoice on terms is one in app/wholesale, each registered when the app
starts. Likewise the business buyer a user works for comes from the lookup app/wholesale registers.
So orders imports neither payments nor wholesale: they build on orders, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import literal

from .models import CheckoutStatus

# Who saw the money of a sold order (app/orders/counting.py): the platform (its payment provider or its
# own bank account), the group alone (its own account, cash at its stand: the group's word), or nobody
# yet (invoiced on terms, not paid).
SEEN_BY_PLATFORM, GROUP_SAYS, INVOICED = "platform", "group", "invoiced"
MONEY_KINDS = (SEEN_BY_PLATFORM, GROUP_SAYS, INVOICED)


class RefundFailed(Exception):
    """The provider refused a refund or could not be reached (an admin tries it again)."""


class PaymentMethod:
    """One way to pay. The default hooks do nothing; an adapter overrides what it needs."""

    code: str = ""
    initial_status: str = CheckoutStatus.PENDING_PAYMENT  # of the checkout and its orders once placed
    position = 50  # where the checkout page lists it

    def label(self, organisation) -> str:
        return self.code

    def offered_to(self, buyer, organisation) -> bool:
        """Whether the checkout page offers it to this buyer."""
        return True

    def offered_for(self, quote) -> bool:
        """Whether the checkout page offers it for this cart (its groups and their pick-up places)."""
        return True

    def unfit_for(self, quote) -> str | None:
        """Why this cart, as chosen, cannot be paid so (a message for the buyer), or None."""
        return None

    def deadline(self, quote, now):
        """When an unpaid checkout paid so runs out; None: the usual CHECKOUT_TTL_HOURS."""
        return None

    def check(self, buyer, organisation) -> None:
        """Before anything is written: raise a DomainError (e.g. Forbidden) if this buyer may not pay so."""

    def prepare(self, amount_idr: int, reference: str, quote=None) -> Any:
        """Before the checkout's transaction (no row lock is held while a provider is called); `quote`
        has the lines and shipping the amount is made of."""
        return None

    def abandon(self, prepared: Any) -> None:
        """The checkout was not written after all: undo what prepare() did at the provider."""

    def record(self, checkout, prepared: Any, organisation) -> None:
        """Inside the checkout's transaction: the payment row (and what else the method keeps)."""
        raise NotImplementedError

    def cancelled(self, order) -> None:
        """Inside the transaction that cancels an order (e.g. void its invoice)."""

    def refund_order(self, order) -> None:
        """After a cancelled order that was paid has committed."""

    def refund_checkout(self, checkout) -> None:
        """A payment that arrived after its checkout ran out and whose stock is gone."""

    def refunds_through_provider(self, order) -> bool:
        """Whether refund_part gives money back through the provider that took it (a card, QRIS, an
        e-wallet); otherwise a refund is transferred by hand to the bank account the buyer gives."""
        return False

    def refund_part(self, order, amount_idr: int, key: str) -> str:
        """Give `amount_idr` of a paid order back through the provider (once per `key`: a retry refunds
        nothing twice), inside the caller's transaction, which commits; the provider's reference. Raises
        RefundFailed. Called only when refunds_through_provider(order)."""
        raise RefundFailed(f"{self.code} refunds by hand")

    def money_reached(self, checkout) -> tuple[str | None, str]:
        """Where a paid checkout's money went, for the ledger: the provider that collected it for the platform
        ("stripe", "midtrans" or "bank", the platform's own account), or None: straight to the group (its
        own account, cash at its stand); and the source to record (e.g. "stripe:pi_…")."""
        return None, f"{self.code}:checkout:{checkout.id}"

    def money_kind(self, order):
        """Who saw the money of an order paid so: an SQL expression over `order` (the Order entity or an
        alias of it) giving one of MONEY_KINDS. What a method does not claim is the group's word."""
        return literal(GROUP_SAYS)


_METHODS: dict[str, PaymentMethod] = {}
_ORGANISATION_OF: list[Callable] = []
_ADDRESSES_OF: list[Callable] = []


def register(method: PaymentMethod) -> None:
    _METHODS[method.code] = method


def method(code: str | None) -> PaymentMethod | None:
    return _METHODS.get(code or "")


def method_of(code: str) -> PaymentMethod:
    """The method a checkout was placed with: a registered one (a checkout is only placed with one)."""
    return _METHODS[code]


def methods() -> list[PaymentMethod]:
    return list(_METHODS.values())


def offered(buyer, organisation, quote=None) -> list[PaymentMethod]:
    return sorted(
        (m for m in _METHODS.values() if m.offered_to(buyer, organisation) and (quote is None or m.offered_for(quote))),
        key=lambda m: m.position,
    )


def register_organisation_lookup(lookup: Callable) -> None:
    """`lookup(user) -> organisation | None`: the business buyer a user is staff of."""
    _ORGANISATION_OF[:] = [lookup]


def organisation_of(user):
    if user is None or not _ORGANISATION_OF or not getattr(user, "is_authenticated", False):
        return None
    return _ORGANISATION_OF[0](user)


def register_address_book(addresses_of: Callable) -> None:
    """`addresses_of(user) -> [address]`: saved delivery addresses (a business buyer's outlets), each with
    id, label, name, phone, street, village, district, regency_code, postal_code."""
    _ADDRESSES_OF[:] = [addresses_of]


def addresses_of(user) -> list:
    return _ADDRESSES_OF[0](user) if _ADDRESSES_OF and user is not None else []


def verified_organisation_of(user):
    org = organisation_of(user)
    return org if org is not None and org.is_verified else None
