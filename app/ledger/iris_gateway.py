"""Midtrans Payouts ("Iris"), over plain HTTP (midtransclient has no Iris client): the only module that talks
to it. As Iris documents its API (https://docs.midtrans.com/reference/payout-api-overview):

- every call: Basic auth with an API key and an empty password, JSON in and out; the creator's key makes
  payouts, the approver's key approves them (with a Google Authenticator OTP where the account asks one);
- POST /api/v1/payouts {"payouts": [{beneficiary_name, beneficiary_account, beneficiary_bank, amount, notes}]}
  → {"payouts": [{"status": "queued", "reference_no"}]}, with X-Idempotency-Key: the same key and body again
  (a retry after a timeout) is made once and answered the same;
- POST /api/v1/payouts/approve {"reference_nos": [...], "otp"} → {"status": "ok"};
- GET /api/v1/account_validation?bank=&account= → {"account_name", "account_no", "bank_name"} (400: the
  account does not exist, is dormant or closed);
- its notifications carry Iris-Signature: SHA-512 of the raw body followed by the merchant key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import current_app

from app.core.errors import DomainError

SANDBOX = "https://app.sandbox.midtrans.com/iris"
PRODUCTION = "https://app.midtrans.com/iris"
TIMEOUT = 20  # seconds

# the bank names groups write, as Iris's bank codes (anything else goes as written, lower case, no spaces)
BANK_CODES = {
    "bca": "bca",
    "bankcentralasia": "bca",
    "bni": "bni",
    "banknegaraindonesia": "bni",
    "bri": "bri",
    "bankrakyatindonesia": "bri",
    "mandiri": "mandiri",
    "permata": "permata",
    "cimb": "cimb",
    "cimbniaga": "cimb",
    "danamon": "danamon",
    "btn": "btn",
    "banktabungannegara": "btn",
    "bsi": "bsm",
    "banksyariahindonesia": "bsm",
}


class IrisError(DomainError):
    """Iris refused a call or could not be reached (502: the admin tries again, or marks the payout failed)."""

    status = 502
    title = "Bad gateway"


class AccountRefused(IrisError):
    """The bank says the account does not exist, is dormant or closed (Iris answered 400)."""

    status = 422
    title = "Invalid values"


@dataclass
class Account:
    name: str
    number: str
    bank: str


def configured() -> bool:
    cfg = current_app.config
    return bool(cfg.get("IRIS_CREATOR_KEY") and cfg.get("IRIS_APPROVER_KEY"))


def bank_code(name: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", (name or "").lower())
    key = key.removeprefix("bank") if key.removeprefix("bank") in BANK_CODES else key
    return BANK_CODES.get(key, key)


def _base() -> str:
    cfg = current_app.config
    return (cfg.get("IRIS_API_URL") or (PRODUCTION if cfg.get("IRIS_PRODUCTION") else SANDBOX)).rstrip("/")


def _call(method: str, path: str, key_name: str, body: dict | None = None, headers: dict | None = None) -> dict:
    key = current_app.config[key_name]
    request = urllib.request.Request(
        _base() + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode(),
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read() or b"{}")
        except ValueError:
            detail = {}
        message = _message(detail) or f"HTTP {exc.code}"
        if exc.code == 400 and path.startswith("/api/v1/account_validation"):
            raise AccountRefused(f"Iris: {message}") from None
        raise IrisError(f"Iris answered {exc.code}: {message}") from None
    except (OSError, ValueError) as exc:  # the network, or a JSON that is not one
        raise IrisError(f"Iris could not be reached: {exc!r}") from None


def _message(detail: dict) -> str:
    errors = detail.get("errors")
    if isinstance(errors, dict):
        return "; ".join(str(m) for ms in errors.values() for m in (ms if isinstance(ms, list) else [ms]))
    return str(errors or detail.get("error_message") or "")


def validate_account(bank: str, number: str) -> Account:
    """The name the bank has for the account (AccountRefused when it does not exist, is dormant or closed)."""
    query = urllib.parse.urlencode({"bank": bank_code(bank), "account": number})
    answer = _call("GET", f"/api/v1/account_validation?{query}", "IRIS_CREATOR_KEY")
    return Account(
        name=str(answer.get("account_name") or ""),
        number=str(answer.get("account_no") or number),
        bank=str(answer.get("bank_name") or ""),
    )


def create_payout(idempotency_key: str, *, name: str, account: str, bank: str, amount_idr: int, notes: str) -> str:
    """One payout, queued at Iris; its reference_no. The same idempotency key again makes nothing new."""
    body = {
        "payouts": [
            {
                "beneficiary_name": name,
                "beneficiary_account": account,
                "beneficiary_bank": bank_code(bank),
                "amount": f"{amount_idr}.00",
                "notes": notes[:100],
            }
        ]
    }
    answer = _call("POST", "/api/v1/payouts", "IRIS_CREATOR_KEY", body, {"X-Idempotency-Key": idempotency_key[:100]})
    made = answer.get("payouts") or []
    if not made or not made[0].get("reference_no"):
        raise IrisError(f"Iris made no payout: {answer}")
    return str(made[0]["reference_no"])


def approve(reference_no: str, otp: str | None) -> None:
    body: dict = {"reference_nos": [reference_no]}
    if otp:
        body["otp"] = otp
    _call("POST", "/api/v1/payouts/approve", "IRIS_APPROVER_KEY", body)


def signature_ok(raw_body: bytes, signature: str) -> bool:
    """Iris-Signature = SHA-512 of the notification's raw body followed by the merchant key (hex)."""
    key = current_app.config.get("IRIS_MERCHANT_KEY") or ""
    if not key:
        return False
    expected = hashlib.sha512(raw_body + key.encode()).hexdigest()
    # compared as bytes: compare_digest refuses a str with non-ASCII characters
    return hmac.compare_digest(expected.encode(), (signature or "").strip().lower().encode("utf-8", "replace"))
