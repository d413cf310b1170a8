"""A small server that answers Midtrans Payouts (Iris) as its documentation does, for the tests.

Iris has no local server, so this one stands in for https://app.sandbox.midtrans.com/iris:
- Basic auth with an API key and an empty password: the creator's key makes payouts and validates accounts,
  the approver's key approves (401 otherwise, as Iris answers a key without the role);
- GET /api/v1/account_validation?bank=&account= → {id, account_name, account_no, bank_name}; an account the
  bank does not have: 400 {"error_message", "errors": {"account": ["Account does not exist"]}};
- POST /api/v1/payouts {"payouts": [{beneficiary_name, beneficiary_account, beneficiary_bank, amount, notes}]}
  → 201 {"payouts": [{"status": "queued", "reference_no"}]}: amount a monetary string whose fraction is .0
  or .00, notes at most 100 characters, a bank Iris knows; X-Idempotency-Key: the same key with the same
  body is answered the same and makes nothing new, with another body: 409 "idempotency-key is not unique";
- POST /api/v1/payouts/approve {"reference_nos": [...], "otp"} → {"status": "ok"}: only queued payouts, and
  the OTP when the account asks one;
- `finish()` plays the bank: the payout is completed or failed and Iris's notification is made, signed as
  documented (Iris-Signature: SHA-512 of the raw body followed by the merchant key).
It lives under tests/ and the app never imports it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from datetime import UTC, datetime

from werkzeug.wrappers import Request, Response

from tests.fakes import FakeServer

BANKS = ("bca", "bni", "bri", "mandiri", "permata", "cimb", "danamon", "btn", "bsm")
MONETARY = re.compile(r"^\d+(\.0{1,2})?$")


def signature(raw: bytes, merchant_key: str) -> str:
    return hashlib.sha512(raw + merchant_key.encode()).hexdigest()


class FakeIris(FakeServer):
    def __init__(self, creator_key: str, approver_key: str, merchant_key: str, *, otp: str | None = None):
        self.creator_key, self.approver_key, self.merchant_key, self.otp = creator_key, approver_key, merchant_key, otp
        self.accounts: dict[tuple[str, str], str] = {}  # (bank, account) -> the name the bank holds
        self.payouts: dict[str, dict] = {}  # reference_no -> the payout
        self.keys: dict[str, tuple[bytes, int, dict]] = {}  # idempotency key -> (body, status, answer)
        self.requests: list[dict] = []
        self._serve()

    # ------------------------------------------------------------ the HTTP API

    @staticmethod
    def _json(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _key_of(self, request: Request) -> str | None:
        for role, key in (("creator", self.creator_key), ("approver", self.approver_key)):
            if request.headers.get("Authorization") == "Basic " + base64.b64encode(f"{key}:".encode()).decode():
                return role
        return None

    def _answer(self, request: Request) -> Response:
        role = self._key_of(request)
        raw = request.get_data()
        self.requests.append({"method": request.method, "path": request.path, "role": role, "raw": raw})
        unauthorized = self._json(
            401,
            {
                "error_message": "You are not authorized to perform this action",
                "errors": ["You are not authorized to perform this action"],
            },
        )
        if request.method == "GET" and request.path == "/api/v1/account_validation":
            return self._validate(request.args) if role == "creator" else unauthorized
        if request.method == "POST" and request.path == "/api/v1/payouts":
            return self._idempotent(request, raw) if role == "creator" else unauthorized
        if request.method == "POST" and request.path == "/api/v1/payouts/approve":
            return self._approve(json.loads(raw or b"{}")) if role == "approver" else unauthorized
        return self._json(404, {"error_message": "Not found"})

    def _validate(self, args) -> Response:
        name = self.accounts.get((args.get("bank", ""), args.get("account", "")))
        if name is None:
            return self._json(
                400,
                {
                    "id": uuid.uuid4().hex,
                    "error_message": "An error occured when doing account validation",
                    "errors": {"account": ["Account does not exist"]},
                },
            )
        return self._json(
            200,
            {"id": uuid.uuid4().hex, "account_name": name, "account_no": args["account"], "bank_name": args["bank"]},
        )

    def _idempotent(self, request: Request, raw: bytes) -> Response:
        key = request.headers.get("X-Idempotency-Key")
        with self.lock:
            if key and key in self.keys:
                body, status, answer = self.keys[key]
                if body != raw:
                    return self._json(
                        409,
                        {"error_message": "idempotency-key is not unique", "errors": "idempotency-key is not unique"},
                    )
                return self._json(status, answer)
            status, answer = self._create(json.loads(raw or b"{}"))
            if key:
                self.keys[key] = (raw, status, answer)
        return self._json(status, answer)

    def _create(self, body: dict) -> tuple[int, dict]:
        made, errors = [], []
        for item in body.get("payouts") or []:
            amount = str(item.get("amount", ""))
            if not item.get("beneficiary_name"):
                errors.append("Beneficiary name is required")
            if not re.fullmatch(r"\d{6,20}", str(item.get("beneficiary_account", ""))):
                errors.append("Beneficiary account is invalid")
            if item.get("beneficiary_bank") not in BANKS:
                errors.append("Beneficiary bank is not supported")
            if not MONETARY.match(amount) or float(amount) < 10_000:
                errors.append("Amount is invalid")
            if len(str(item.get("notes", ""))) > 100 or not item.get("notes"):
                errors.append("Notes is invalid")
            made.append(item)
        if errors or not made:
            return 400, {"error_message": "An error occurred when creating payouts", "errors": errors or ["empty"]}
        answer = []
        for item in made:
            reference_no = uuid.uuid4().hex[:14]
            self.payouts[reference_no] = dict(item, reference_no=reference_no, status="queued")
            answer.append({"status": "queued", "reference_no": reference_no})
        return 201, {"payouts": answer}

    def _approve(self, body: dict) -> Response:
        refs = body.get("reference_nos") or []
        if self.otp is not None and str(body.get("otp", "")) != self.otp:
            return self._json(401, {"error_message": "Invalid OTP", "errors": ["Invalid OTP"]})
        with self.lock:
            if not refs or any(self.payouts.get(r, {}).get("status") != "queued" for r in refs):
                return self._json(
                    400, {"error_message": "Some payouts cannot be approved", "errors": ["Payout is not queued"]}
                )
            for r in refs:
                self.payouts[r]["status"] = "approved"
        return self._json(202, {"status": "ok"})

    # ------------------------------------------------------------ what the tests do as the bank and as Iris

    def notification(self, reference_no: str, status: str | None = None, *, sign_with: str | None = None):
        """(raw body, headers) of Iris's notification for the payout as it is now (or with `status`)."""
        payout = self.payouts[reference_no]
        status = status or payout["status"]
        body = {
            "reference_no": reference_no,
            "amount": payout["amount"],
            "status": status,
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        if status == "failed":
            body.update(error_code="001", error_message="Beneficiary account is closed")
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Iris-Signature": signature(raw, sign_with or self.merchant_key)}
        return raw, headers

    def finish(self, reference_no: str, status: str):
        """The bank completes (or fails) an approved payout: its notification, to be sent to the app."""
        with self.lock:
            assert self.payouts[reference_no]["status"] in ("approved", "processed", "completed")
            self.payouts[reference_no]["status"] = status
        return self.notification(reference_no)
