"""Stripe: the only module that imports `stripe`.

IDR is not a zero-decimal currency for Stripe: Rp150.000 is amount=15000000. The conversion
happens here and nowhere else. Calls use the StripeClient with a configurable API base, so tests
talk to localstripe. Only parameters localstripe knows are sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stripe
from flask import current_app

from .providers import CardDeclined, GatewayError, Intent, WebhookEvent

if TYPE_CHECKING:
    from stripe.params import PaymentIntentCreateParams

CURRENCY = "idr"


def to_minor(amount_idr: int) -> int:
    return amount_idr * 100


def from_minor(amount: int) -> int:
    return amount // 100


def _client() -> stripe.StripeClient:
    cfg = current_app.config
    if not cfg.get("STRIPE_SECRET_KEY"):
        raise GatewayError("Stripe is not configured (STRIPE_SECRET_KEY)")
    base = cfg.get("STRIPE_API_BASE")
    # The API version is pinned: the SDK's own (2026-10-28.endive) refuses payment_method_types with a 400
    # (payment_method_types_no_longer_supported), and localstripe knows no allowed_payment_method_types
    return stripe.StripeClient(
        cfg["STRIPE_SECRET_KEY"],
        max_network_retries=1,
        stripe_version=cfg["STRIPE_API_VERSION"],
        base_addresses={"api": base} if base else None,
    )


def _intent(pi) -> Intent:
    data = pi.to_dict() if hasattr(pi, "to_dict") else dict(pi)
    return Intent(
        id=data["id"],
        status=data.get("status", ""),
        client_secret=data.get("client_secret"),
        amount_idr=from_minor(int(data.get("amount") or 0)),
        reference=(data.get("metadata") or {}).get("checkout_ref"),
    )


def create_intent(amount_idr: int, reference: str, payment_method: str | None = None) -> Intent:
    """A PaymentIntent for a checkout; with a payment method it is confirmed at once (server-side
    confirmation; 3-D Secure then comes back as requires_action)."""
    # payment_method_types: taken by the API version the client pins (STRIPE_API_VERSION) and by localstripe
    params: PaymentIntentCreateParams = {  # type: ignore[typeddict-unknown-key]
        "amount": to_minor(amount_idr),
        "currency": CURRENCY,
        "payment_method_types": ["card"],
        "metadata": {"checkout_ref": reference},
    }
    if payment_method:
        params["payment_method"], params["confirm"] = payment_method, True
    try:
        return _intent(_client().v1.payment_intents.create(params=params))
    except stripe.CardError as exc:
        raise CardDeclined(exc.user_message or str(exc)) from None
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None


def retrieve_intent(intent_id: str) -> Intent:
    try:
        return _intent(_client().v1.payment_intents.retrieve(intent_id))
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None


def cancel_intent(intent_id: str) -> None:
    try:
        _client().v1.payment_intents.cancel(intent_id)
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None


def refund(intent_id: str, amount_idr: int, key: str | None = None) -> str:
    """A refund of a PaymentIntent (the whole of it or part); with `key`, Stripe's idempotency key (a retry
    refunds once). The refund's id."""
    try:
        answer = _client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": to_minor(amount_idr)},
            options={"idempotency_key": key} if key else None,
        )
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None
    return str(answer.id or "")


def parse_webhook(payload: bytes, signature: str) -> WebhookEvent:
    """Verify the Stripe-Signature header on the raw body (tolerance 300 s); ValueError if bad."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not signature.isascii():  # Stripe signs in hex; the library's compare_digest would raise TypeError
        raise ValueError("Stripe-Signature is not ASCII")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret, tolerance=300)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise ValueError(str(exc)) from None
    obj = event.to_dict().get("data", {}).get("object") or {}
    intent = _intent(obj) if obj.get("object") == "payment_intent" else None
    return WebhookEvent(id=event.id, type=event.type, intent=intent)


# ------------------------------------------------------------------ what Stripe settled (reconciliation)


def _get(client: stripe.StripeClient, path: str, **params) -> dict:
    answer = client.raw_request("get", path, **params)
    return answer.data if hasattr(answer, "data") else dict(answer)


def _balance_page(client: stripe.StripeClient, starting_after: str | None) -> dict:
    """One page of the balance transactions, newest first. /v1/balance_transactions is the API's path; the
    older /v1/balance/history (the same list) is what localstripe answers."""
    params: dict = {"limit": 100, **({"starting_after": starting_after} if starting_after else {})}
    try:
        return _get(client, "/v1/balance_transactions", **params)
    except stripe.InvalidRequestError as exc:
        if exc.http_status != 404:
            raise
        return _get(client, "/v1/balance/history", **params)


def _intent_of(client: stripe.StripeClient, txn: dict) -> str | None:
    """The PaymentIntent a charge's or a refund's balance transaction belongs to."""
    source = txn.get("source") or ""
    if isinstance(source, dict):
        source = source.get("id") or ""
    if source.startswith("ch_") or source.startswith("py_"):
        return _get(client, f"/v1/charges/{source}").get("payment_intent")
    if source.startswith("re_"):
        refund = _get(client, f"/v1/refunds/{source}")
        if refund.get("payment_intent"):
            return refund["payment_intent"]
        return _get(client, f"/v1/charges/{refund.get('charge')}").get("payment_intent")
    return None


def settled_since(since_ts: int) -> dict[str, tuple[int, int]]:
    """What Stripe's balance says it took and gave back since a Unix time, per PaymentIntent: {pi_…:
    (charged_idr, refunded_idr)}. Stripe's fee is not counted (the ledger's provider cost is an estimate)."""
    client = _client()
    found: dict[str, tuple[int, int]] = {}
    after: str | None = None
    try:
        while True:
            page = _balance_page(client, after)
            rows = page.get("data") or []
            for txn in rows:
                if int(txn.get("created") or 0) < since_ts:
                    return found
                if txn.get("type") not in ("charge", "payment", "refund", "payment_refund"):
                    continue
                intent = _intent_of(client, txn)
                if not intent:
                    continue
                charged, refunded = found.get(intent, (0, 0))
                amount = from_minor(int(txn.get("amount") or 0))
                found[intent] = (charged + amount, refunded) if amount > 0 else (charged, refunded - amount)
            if not page.get("has_more") or not rows:
                return found
            after = rows[-1]["id"]
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None


def intent_money(intent_id: str) -> tuple[str, int, int] | None:
    """A PaymentIntent's status, what it received and what was refunded of it (rupiah); None: Stripe has no
    such PaymentIntent."""
    client = _client()
    try:
        pi = _get(client, f"/v1/payment_intents/{intent_id}")
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise GatewayError(str(exc)) from None
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from None
    status = pi.get("status") or ""
    received = pi.get("amount_received")
    if received is None:
        received = pi.get("amount") if status == "succeeded" else 0
    refunded = 0
    charge = pi.get("latest_charge")
    if status == "succeeded" and charge:
        try:
            refunded = int(_get(client, f"/v1/charges/{charge}").get("amount_refunded") or 0)
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from None
    return status, from_minor(int(received or 0)), from_minor(refunded)


def configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))
