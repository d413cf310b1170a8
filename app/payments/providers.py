"""The outside payment providers' interface (Stripe, Midtrans): what an adapter answers and raises. Amounts
the same few calls. Amounts cross this line in rupiah."""

from __future__ import annotations

from dataclasses import dataclass


class GatewayError(Exception):
    """The provider could not be reached or refused the call."""


class NotAtProvider(GatewayError):
    """The provider has no such payment (it answered 404)."""


class CardDeclined(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Intent:
    id: str
    status: str  # requires_payment_method | requires_action | processing | succeeded | canceled | ...
    client_secret: str | None
    amount_idr: int
    reference: str | None  # our checkout's reference, from metadata


@dataclass
class WebhookEvent:
    id: str
    type: str
    intent: Intent | None
