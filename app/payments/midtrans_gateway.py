"""Midtrans, through its official client (`midtransclient`, Core API): the only module that imports it.

Charges are made for QRIS, bank virtual accounts (BCA, BNI, BRI, Permata; Mandiri's bill payment,
"echannel") and the e-wallets Midtrans offers with a deeplink (GoPay, ShopeePay). Amounts are whole
rupiah. A charge is paid only when Midtrans's HTTP notification arrives with a valid signature and a
status call confirms it (app/payments/midtrans.py)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import midtransclient
from flask import current_app

from .providers import GatewayError, NotAtProvider

BANKS = ("bca", "bni", "bri", "mandiri", "permata")
WALLETS = ("gopay", "shopeepay")
PAID = ("settlement", "capture")  # capture: a card; settlement: everything else
ENDED = ("expire", "cancel", "deny", "failure")
MAX_ITEM_NAME = 50  # Midtrans cuts item names at 50 characters


@dataclass
class Charge:
    """What the buyer needs to pay: a QR string, a VA number, a biller code and key, or a deeplink."""

    transaction_id: str
    status: str
    data: dict = field(default_factory=dict)


@dataclass
class Status:
    order_id: str
    transaction_id: str | None
    transaction_status: str
    status_code: str
    gross_amount_idr: int
    fraud_status: str | None
    payment_type: str | None
    refunded_idr: int | None = None  # what was given back (None: Midtrans did not say)


def _client() -> midtransclient.CoreApi:
    cfg = current_app.config
    core = midtransclient.CoreApi(
        is_production=cfg["MIDTRANS_PRODUCTION"],
        server_key=cfg["MIDTRANS_SERVER_KEY"],
        client_key=cfg.get("MIDTRANS_CLIENT_KEY", ""),
    )
    if cfg.get("MIDTRANS_API_URL"):  # a test server that answers as Midtrans does (tests/fakes/midtrans_server.py)
        core.api_config.CORE_SANDBOX_BASE_URL = core.api_config.CORE_PRODUCTION_BASE_URL = cfg["MIDTRANS_API_URL"]
    return core


def configured() -> bool:
    return bool(current_app.config.get("MIDTRANS_SERVER_KEY"))


def _call(fn, *args):
    try:
        return fn(*args)
    except midtransclient.error_midtrans.MidtransAPIError as exc:
        answer = exc.api_response_dict if isinstance(exc.api_response_dict, dict) else {}
        missing = str(answer.get("status_code")) == "404" or exc.http_status_code == 404
        raise (NotAtProvider if missing else GatewayError)(
            f"Midtrans answered {exc.http_status_code}: {exc.api_response_dict}"
        ) from None
    except Exception as exc:  # the network, a JSON that is not one
        raise GatewayError(f"Midtrans could not be reached: {exc!r}") from None


def charge(
    method: str, order_id: str, amount_idr: int, items: list[dict], customer: dict, expiry_minutes: int
) -> Charge:
    """One Core API charge. `method`: qris, va_<bank>, gopay or shopeepay. `items` sum to amount_idr."""
    params: dict = {
        "transaction_details": {"order_id": order_id, "gross_amount": amount_idr},
        "item_details": [dict(i, name=str(i["name"])[:MAX_ITEM_NAME]) for i in items],
        "customer_details": customer,
        "custom_expiry": {"expiry_duration": max(1, expiry_minutes), "unit": "minute"},
    }
    if method == "qris":
        params.update(payment_type="qris", qris={"acquirer": "gopay"})
    elif method == "va_mandiri":
        params.update(payment_type="echannel", echannel={"bill_info1": "Pembayaran:", "bill_info2": "Pasar UPPKS"})
    elif method.startswith("va_") and method[3:] in BANKS:
        params.update(payment_type="bank_transfer", bank_transfer={"bank": method[3:]})
    elif method in WALLETS:
        params.update(
            payment_type=method,
            **{
                method: {
                    "callback_url": current_app.config.get("MIDTRANS_FINISH_URL")
                    or "https://pasar-uppks.example/orders"
                }
            },
        )
    else:
        raise GatewayError(f"unknown Midtrans method {method}")
    answer = _call(_client().charge, params)
    actions = {a.get("name"): a.get("url") for a in answer.get("actions") or []}
    data = {"payment_type": answer.get("payment_type")}
    if answer.get("qr_string"):
        data["qr_string"] = answer["qr_string"]
    if answer.get("va_numbers"):
        data["bank"], data["va_number"] = answer["va_numbers"][0]["bank"], answer["va_numbers"][0]["va_number"]
    if answer.get("permata_va_number"):
        data["bank"], data["va_number"] = "permata", answer["permata_va_number"]
    if answer.get("bill_key"):
        data["bank"], data["biller_code"], data["bill_key"] = "mandiri", answer.get("biller_code"), answer["bill_key"]
    for name in ("deeplink-redirect", "generate-qr-code"):
        if actions.get(name):
            data[name.replace("-", "_")] = actions[name]
    if answer.get("expiry_time"):
        data["expiry_time"] = answer["expiry_time"]
    return Charge(answer.get("transaction_id") or "", answer.get("transaction_status") or "pending", data)


def status(order_id: str) -> Status:
    answer = _call(_client().transactions.status, order_id)
    return Status(
        order_id=answer.get("order_id") or order_id,
        transaction_id=answer.get("transaction_id"),
        transaction_status=answer.get("transaction_status") or "",
        status_code=str(answer.get("status_code")),
        gross_amount_idr=_whole(answer.get("gross_amount")),
        fraud_status=answer.get("fraud_status"),
        payment_type=answer.get("payment_type"),
        refunded_idr=_refunded(answer),
    )


def _refunded(answer: dict) -> int | None:
    if answer.get("refund_amount") is not None:
        return _whole(answer["refund_amount"])
    if answer.get("refunds"):
        return sum(_whole(r.get("refund_amount")) for r in answer["refunds"])
    if answer.get("transaction_status") == "refund":
        return _whole(answer.get("gross_amount"))
    return None if answer.get("transaction_status") == "partial_refund" else 0


def status_or_none(order_id: str) -> Status | None:
    """The transaction's status (by our order_id or Midtrans's transaction_id); None: Midtrans has no such
    transaction."""
    try:
        return status(order_id)
    except NotAtProvider:
        return None


def expire(order_id: str) -> None:
    _call(_client().transactions.expire, order_id)


def refund(order_id: str, amount_idr: int, key: str, reason: str) -> dict:
    """POST /v2/{order_id}/refund (a whole or partial refund of a settled QRIS or e-wallet payment; the same
    refund_key again is refused, so a retry never refunds twice). Midtrans's answer."""
    return _call(
        _client().transactions.refund, order_id, {"refund_key": key, "amount": amount_idr, "reason": reason[:255]}
    )


def signature_ok(body: dict) -> bool:
    """Midtrans's notification signature: SHA-512 of order_id + status_code + gross_amount + server key."""
    text = (
        f"{body.get('order_id', '')}{body.get('status_code', '')}{body.get('gross_amount', '')}"
        f"{current_app.config['MIDTRANS_SERVER_KEY']}"
    )
    expected = hashlib.sha512(text.encode()).hexdigest()
    # compared as bytes: compare_digest refuses a str with non-ASCII characters (TypeError)
    return hmac.compare_digest(expected.encode(), str(body.get("signature_key", "")).encode())


def _whole(amount) -> int:
    """ "75000.00" -> 75000 (Midtrans writes rupiah with two decimals)."""
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return -1
    return int(value) if value == int(value) else -1


def jakarta(text: str | None) -> datetime | None:
    """Midtrans's times ("2026-11-24 15:40:09") are in Jakarta time."""
    try:
        return datetime.strptime(text or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("Asia/Jakarta"))
    except ValueError:
        return None
