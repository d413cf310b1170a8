"""A small server that answers Midtrans's Core API as its documentation's examples do, for the tests.

Midtrans has no local server (unlike Stripe's localstripe), so this one stands in for
https://api.sandbox.midtrans.com: POST /v2/charge (QRIS, bank_transfer for BCA/BNI/BRI/Permata,
echannel for Mandiri, GoPay, ShopeePay), GET /v2/{order_id}/status, POST /v2/{order_id}/expire,
/cancel and /refund. It checks what the documentation requires of a request: Basic auth with the
server key, JSON, an order_id of at most 50 characters of [A-Za-z0-9-_~.], a whole-rupiah gross_amount
equal to the sum of item_details (price x quantity), no order_id twice. `pay()` plays the buyer's bank
app: the transaction settles and Midtrans's notification, signed as documented (SHA-512 of order_id,
status_code, gross_amount and the server key), is POSTed to the app. It lives under tests/ and the app
never imports it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.request
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from tests.fakes import FakeServer

ORDER_ID = re.compile(r"^[A-Za-z0-9\-_~.]{1,50}$")
JAKARTA = ZoneInfo("Asia/Jakarta")
REFUNDABLE = ("qris", "gopay", "shopeepay")


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


class FakeMidtrans(FakeServer):
    def __init__(self, server_key: str, notify_url: str | None = None):
        self.server_key, self.notify_url = server_key, notify_url
        self.transactions: dict[str, dict] = {}
        self.requests: list[dict] = []  # every request: method, path, auth_ok, body
        self.refunds: list[dict] = []
        self._serve()

    # ------------------------------------------------------------ the HTTP API

    @staticmethod
    def _json(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _answer(self, request: Request) -> Response:
        expected = "Basic " + base64.b64encode(f"{self.server_key}:".encode()).decode()
        auth_ok = request.headers.get("Authorization") == expected
        body = request.get_json(silent=True) if request.method == "POST" else None
        self.requests.append({"method": request.method, "path": request.path, "auth_ok": auth_ok, "body": body})
        if not auth_ok:
            return self._json(
                401, {"status_code": "401", "status_message": "Unknown Merchant server_key/id", "id": str(uuid.uuid4())}
            )
        if request.method == "POST" and request.path == "/v2/charge":
            return self._charge(body)
        found = re.match(r"^/v2/([^/]+)/(status|expire|cancel|refund)$", request.path)
        if not found:
            return self._json(404, {"status_code": "404", "status_message": "The requested resource is not found"})
        order_id, action = found.groups()
        with self.lock:
            tx = self.transactions.get(order_id)
            if tx is None:
                return self._json(404, {"status_code": "404", "status_message": "Transaction doesn't exist."})
            if action == "status" and request.method == "GET":
                return self._json(200, self._status_body(tx))
            if action in ("expire", "cancel") and request.method == "POST":
                if tx["transaction_status"] != "pending":
                    return self._json(
                        412,
                        {
                            "status_code": "412",
                            "status_message": "Merchant cannot modify the status of the transaction",
                        },
                    )
                tx["transaction_status"] = "expire" if action == "expire" else "cancel"
                return self._json(200, self._status_body(tx))
            if action == "refund" and request.method == "POST":
                return self._refund(tx, body or {})
        return self._json(405, {"status_code": "405", "status_message": "Method not allowed"})

    def _charge(self, body) -> Response:
        def invalid(*messages):
            return self._json(
                400,
                {
                    "status_code": "400",
                    "status_message": "One or more parameters in the payload is invalid.",
                    "validation_messages": list(messages),
                },
            )

        if not isinstance(body, dict):
            return invalid("payload must be a JSON object")
        details = body.get("transaction_details") or {}
        order_id, gross = details.get("order_id"), details.get("gross_amount")
        if not isinstance(order_id, str) or not ORDER_ID.match(order_id):
            return invalid("transaction_details.order_id is invalid")
        if not isinstance(gross, int) or isinstance(gross, bool) or gross < 1:
            return invalid("transaction_details.gross_amount must be a whole number of rupiah")
        items = body.get("item_details")
        if items:
            for item in items:
                if not (
                    isinstance(item.get("price"), int)
                    and isinstance(item.get("quantity"), int)
                    and item["quantity"] >= 1
                    and len(str(item.get("name", ""))) <= 50
                ):
                    return invalid("item_details is invalid")
            if sum(i["price"] * i["quantity"] for i in items) != gross:
                return invalid("transaction_details.gross_amount is not equal to the sum of item_details")
        ptype = body.get("payment_type")
        with self.lock:
            if order_id in self.transactions:
                return self._json(
                    406,
                    {
                        "status_code": "406",
                        "status_message": "The request could not be completed "
                        "due to a conflict with the current state of the target resource, please "
                        "try again",
                    },
                )
            now = datetime.now(JAKARTA)
            expiry = body.get("custom_expiry") or {}
            minutes = int(expiry.get("expiry_duration") or 24 * 60) * {"minute": 1, "hour": 60, "day": 1440}.get(
                expiry.get("unit", "minute"), 1
            )
            tx = {
                "transaction_id": str(uuid.uuid4()),
                "order_id": order_id,
                "gross_amount": f"{gross}.00",
                "currency": "IDR",
                "payment_type": ptype,
                "transaction_time": now.strftime("%Y-%m-%d %H:%M:%S"),
                "transaction_status": "pending",
                "fraud_status": "accept",
                "merchant_id": "G000000001",
                "expiry_time": (now + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S"),
            }
            answer = dict(tx, status_code="201")
            if ptype == "qris":
                tx["acquirer"] = (body.get("qris") or {}).get("acquirer", "gopay")
                answer.update(
                    status_message="QRIS transaction is created",
                    acquirer=tx["acquirer"],
                    qr_string=f"00020101021226620014COM.GO-JEK.WWW01189360091434506469550210G4506469550303UMI"
                    f"51440014ID.CO.QRIS.WWW0215ID10243341364120303UMI5204569753033605402{gross}"
                    f"5802ID5908PASARUPPKS6007JAKARTA62{len(order_id):02d}{order_id}6304ABCD",
                    actions=[
                        {
                            "name": "generate-qr-code",
                            "method": "GET",
                            "url": f"{self.url}/v2/qris/{tx['transaction_id']}/qr-code",
                        }
                    ],
                )
            elif ptype == "bank_transfer":
                bank = (body.get("bank_transfer") or {}).get("bank")
                if bank not in ("bca", "bni", "bri", "permata"):
                    return invalid("bank_transfer.bank is invalid")
                number = str(int(hashlib.sha256(order_id.encode()).hexdigest(), 16))[:11]
                answer["status_message"] = "Success, Bank Transfer transaction is created"
                if bank == "permata":
                    answer["permata_va_number"] = tx["permata_va_number"] = number
                else:
                    answer["va_numbers"] = tx["va_numbers"] = [{"bank": bank, "va_number": number}]
            elif ptype == "echannel":
                answer.update(
                    status_message="OK, Mandiri Bill transaction is successful",
                    biller_code="70012",
                    bill_key=str(int(hashlib.sha256(order_id.encode()).hexdigest(), 16))[:12],
                )
            elif ptype in ("gopay", "shopeepay"):
                actions = [
                    {
                        "name": "deeplink-redirect",
                        "method": "GET",
                        "url": f"https://simulator.sandbox.midtrans.com/{ptype}/ui/checkout?id={tx['transaction_id']}",
                    }
                ]
                if ptype == "gopay":
                    actions.insert(
                        0,
                        {
                            "name": "generate-qr-code",
                            "method": "GET",
                            "url": f"{self.url}/v2/gopay/{tx['transaction_id']}/qr-code",
                        },
                    )
                answer.update(status_message=f"{ptype} transaction is created", actions=actions)
            else:
                return invalid("payment_type is not supported")
            self.transactions[order_id] = tx
        return self._json(201, answer)

    @staticmethod
    def _status_code(tx: dict) -> str:
        return {
            "settlement": "200",
            "capture": "200",
            "refund": "200",
            "partial_refund": "200",
            "pending": "201",
            "deny": "202",
            "cancel": "200",
            "expire": "407",
        }.get(tx["transaction_status"], "200")

    def _status_body(self, tx: dict) -> dict:
        return dict(
            tx,
            status_code=self._status_code(tx),
            status_message="Success, transaction is found",
            signature_key=signature(tx["order_id"], self._status_code(tx), tx["gross_amount"], self.server_key),
        )

    def _refund(self, tx: dict, body: dict) -> Response:
        """As documented (https://docs.midtrans.com/reference-link/refund-transaction): only a settled QRIS,
        GoPay or ShopeePay payment; `amount` defaults to the whole; a refund_key of letters, digits, - and _;
        the same refund_key again is the same refund retried (answered again, refunded once)."""
        amount = body.get("amount", int(float(tx["gross_amount"])))
        key = body.get("refund_key")
        if key is not None and not re.match(r"^[A-Za-z0-9\-_]{1,50}$", str(key)):
            return self._json(400, {"status_code": "400", "status_message": "refund_key is invalid"})
        done = [r for r in self.refunds if r["order_id"] == tx["order_id"] and key and r["refund_key"] == key]
        if done:
            return self._json(
                200,
                dict(
                    self._status_body(tx),
                    status_message="Success, refund request is approved",
                    refund_amount=f"{done[0]['amount']}.00",
                    refund_key=key,
                ),
            )
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            return self._json(400, {"status_code": "400", "status_message": "amount must be a whole number"})
        refunded = sum(r["amount"] for r in self.refunds if r["order_id"] == tx["order_id"])
        if tx["payment_type"] not in REFUNDABLE:
            return self._json(412, {"status_code": "412", "status_message": "Payment type does not support refund"})
        if (
            tx["transaction_status"] not in ("settlement", "partial_refund")
            or amount > float(tx["gross_amount"]) - refunded
        ):
            return self._json(412, {"status_code": "412", "status_message": "Transaction status cannot be updated."})
        self.refunds.append({"order_id": tx["order_id"], "amount": amount, "refund_key": body.get("refund_key")})
        full = refunded + amount >= float(tx["gross_amount"])
        tx["transaction_status"] = "refund" if full else "partial_refund"
        return self._json(
            200,
            dict(
                self._status_body(tx),
                status_message="Success, refund request is approved",
                refund_amount=f"{amount}.00",
                refund_key=body.get("refund_key"),
            ),
        )

    # ------------------------------------------------------------ what the tests do as the buyer and as Midtrans

    def notification(self, order_id: str, status: str | None = None, *, sign_with: str | None = None) -> dict:
        """The body Midtrans POSTs to the notification URL (as documented), for the transaction as it is now
        (or as it was, `status`)."""
        tx = dict(self.transactions[order_id])
        if status:
            tx["transaction_status"] = status
        code = self._status_code(tx)
        body = {
            k: tx[k]
            for k in (
                "transaction_time",
                "transaction_status",
                "transaction_id",
                "order_id",
                "merchant_id",
                "gross_amount",
                "fraud_status",
                "currency",
                "payment_type",
            )
        }
        body.update(
            status_code=code,
            status_message="midtrans payment notification",
            signature_key=signature(order_id, code, tx["gross_amount"], sign_with or self.server_key),
        )
        if tx.get("va_numbers"):
            body["va_numbers"] = tx["va_numbers"]
        return body

    def send(self, body: dict) -> int:
        request = urllib.request.Request(
            self.notify_url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def pay(self, order_id: str) -> int:
        """The buyer pays in their bank or e-wallet app: settled, and the notification sent."""
        with self.lock:
            tx = self.transactions[order_id]
            tx["transaction_status"] = "settlement"
            tx["settlement_time"] = datetime.now(JAKARTA).strftime("%Y-%m-%d %H:%M:%S")
        return self.send(self.notification(order_id))

    def settle_silently(self, order_id: str) -> None:
        """Paid, but the notification is lost (reconciliation must find it)."""
        with self.lock:
            self.transactions[order_id]["transaction_status"] = "settlement"
