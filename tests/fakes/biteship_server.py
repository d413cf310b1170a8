"""A small server that answers Biteship's API as its documentation describes, for the tests.

Biteship has no local server, so this one stands in for https://api.biteship.com: POST /v1/rates/couriers
(origin and destination postal codes, couriers, items with weight; `pricing` rows with courier_code,
courier_service_code, price, shipment_duration_range), POST /v1/orders (a pick-up: answers the order id and
courier.tracking_id / waybill_id), POST /v1/orders/{id}/cancel, GET /v1/trackings/{id} and GET
/v1/trackings/{waybill}/couriers/{courier} (status and history). It checks the API key in the Authorization
header and the fields the documentation requires. `advance()` plays the courier: a step is added to the
parcel's history, and `webhook()` gives the order.status body Biteship posts, with its secret header.
It lives under tests/ and the app never imports it."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from tests.fakes import FakeServer

JAKARTA = ZoneInfo("Asia/Jakarta")
# courier -> service -> (name, service name, first kg, next kg, days): a price list like the couriers' own
SERVICES = {
    "jne": {"reg": ("JNE", "Reguler", 11000, 9000, "2 - 3"), "yes": ("JNE", "YES", 21000, 18000, "1 - 1")},
    "jnt": {"ez": ("J&T", "EZ", 10000, 8500, "2 - 4")},
    "sicepat": {"reg": ("SiCepat", "REG", 9500, 8000, "2 - 3")},
    "anteraja": {"reg": ("AnterAja", "Reguler", 9000, 8000, "3 - 4")},
    "pos": {"reg": ("POS Indonesia", "Pos Reguler", 8000, 7000, "3 - 5")},
}
ORDER_FIELDS = (
    "origin_contact_name",
    "origin_contact_phone",
    "origin_address",
    "origin_postal_code",
    "destination_contact_name",
    "destination_contact_phone",
    "destination_address",
    "destination_postal_code",
    "courier_company",
    "courier_type",
    "delivery_type",
    "items",
)


class FakeBiteship(FakeServer):
    def __init__(self, api_key: str, webhook_header: str = "X-Biteship-Signature", webhook_secret: str = ""):
        self.api_key, self.webhook_header, self.webhook_secret = api_key, webhook_header, webhook_secret
        self.requests: list[dict] = []
        self.orders: dict[str, dict] = {}
        self.surcharge = 0  # added to every price: a courier that changed its rates
        self._serve()

    @staticmethod
    def price(courier: str, service: str, weight_g: int, far: bool = True, surcharge: int = 0) -> int:
        _n, _s, first, per_kg, _d = SERVICES[courier][service]
        kilograms = max(1, -(-weight_g // 1000))
        return first + (kilograms - 1) * per_kg + (5000 if far else 0) + surcharge

    # ------------------------------------------------------------ the HTTP API

    @staticmethod
    def _json(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _error(self, status: int, message: str, code: int = 40000001) -> Response:
        return self._json(status, {"success": False, "error": message, "code": code})

    def _answer(self, request: Request) -> Response:
        auth_ok = request.headers.get("Authorization") == self.api_key
        body = request.get_json(silent=True) if request.method == "POST" else None
        self.requests.append({"method": request.method, "path": request.path, "auth_ok": auth_ok, "body": body})
        if not auth_ok:
            return self._error(401, "Authorization failed, please check your API key", 40101001)
        path, method = request.path.rstrip("/"), request.method
        if method == "POST" and path == "/v1/rates/couriers":
            return self._rates(body or {})
        if method == "POST" and path == "/v1/orders":
            return self._order(body or {})
        parts = path.split("/")
        if method == "POST" and len(parts) == 5 and parts[2] == "orders" and parts[4] == "cancel":
            return self._cancel(parts[3])
        if method == "GET" and len(parts) == 4 and parts[2] == "trackings":
            return self._tracking(lambda o: o["courier"]["tracking_id"] == parts[3])
        if method == "GET" and len(parts) == 6 and parts[2] == "trackings" and parts[4] == "couriers":
            return self._tracking(
                lambda o: (o["courier"]["waybill_id"], o["courier"]["company"]) == (parts[3], parts[5])
            )
        return self._error(404, "Not found", 40400001)

    def _rates(self, body: dict) -> Response:
        origin, destination = body.get("origin_postal_code"), body.get("destination_postal_code")
        if not isinstance(origin, int) or not isinstance(destination, int):
            return self._error(400, "origin_postal_code and destination_postal_code are required")
        items = body.get("items")
        if not body.get("couriers") or not isinstance(items, list) or not items:
            return self._error(400, "couriers and items are required")
        if any(not isinstance(i.get("weight"), int) or i["weight"] < 1 or "name" not in i for i in items):
            return self._error(400, "items need a name and a weight in grams")
        weight = sum(i["weight"] * int(i.get("quantity", 1)) for i in items)
        far = str(origin)[:1] != str(destination)[:1]
        pricing = []
        for courier in str(body["couriers"]).split(","):
            for service, (name, service_name, *_rest, days) in SERVICES.get(courier.strip(), {}).items():
                pricing.append(
                    {
                        "available_collection_method": ["pickup", "drop_off"],
                        "company": courier,
                        "courier_name": name,
                        "courier_code": courier,
                        "courier_service_name": service_name,
                        "courier_service_code": service,
                        "currency": "IDR",
                        "description": f"{name} {service_name}",
                        "duration": f"{days} days",
                        "shipment_duration_range": days,
                        "shipment_duration_unit": "days",
                        "service_type": "standard",
                        "shipping_type": "parcel",
                        "price": self.price(courier, service, weight, far, self.surcharge),
                        "type": service,
                    }
                )
        return self._json(
            200,
            {
                "success": True,
                "object": "courier_pricing",
                "message": "Success to retrieve courier pricing",
                "code": 20001003,
                "origin": {"postal_code": origin},
                "destination": {"postal_code": destination},
                "pricing": pricing,
            },
        )

    def _order(self, body: dict) -> Response:
        missing = [f for f in ORDER_FIELDS if body.get(f) in (None, "", [])]
        if missing:
            return self._error(400, f"{', '.join(missing)} is required", 40002001)
        courier, service = body["courier_company"], body["courier_type"]
        if service not in SERVICES.get(courier, {}):
            return self._error(400, "Courier service is not available", 40002002)
        order_id = uuid.uuid4().hex[:24]
        waybill = f"{courier.upper()}{uuid.uuid4().int % 10**10:010d}"
        weight = sum(i.get("weight", 1) * i.get("quantity", 1) for i in body["items"])
        now = datetime.now(JAKARTA).isoformat(timespec="seconds")
        order = {
            "success": True,
            "message": "Order successfully created",
            "object": "order",
            "id": order_id,
            "origin": {"contact_name": body["origin_contact_name"], "address": body["origin_address"]},
            "destination": {"contact_name": body["destination_contact_name"], "address": body["destination_address"]},
            "courier": {
                "tracking_id": uuid.uuid4().hex[:24],
                "waybill_id": waybill,
                "company": courier,
                "type": service,
                "link": f"https://biteship.example/lacak/{waybill}",
            },
            "reference_id": body.get("reference_id"),
            "items": body["items"],
            "price": self.price(courier, service, weight),
            "status": "confirmed",
            "history": [{"note": "Order has been confirmed", "status": "confirmed", "updated_at": now}],
        }
        with self.lock:
            self.orders[order_id] = order
        return self._json(200, {k: v for k, v in order.items() if k != "history"})

    def _cancel(self, order_id: str) -> Response:
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                return self._error(404, "Order not found", 40400002)
            order["status"] = "cancelled"
            return self._json(200, {"success": True, "id": order_id, "status": "cancelled"})

    def _tracking(self, match) -> Response:
        with self.lock:
            order = next((o for o in self.orders.values() if match(o)), None)
            if order is None:
                return self._error(404, "Tracking not found", 40400003)
            return self._json(
                200,
                {
                    "success": True,
                    "message": "Successfully get tracking info",
                    "object": "tracking",
                    "id": order["courier"]["tracking_id"],
                    "waybill_id": order["courier"]["waybill_id"],
                    "courier": {"company": order["courier"]["company"]},
                    "origin": order["origin"],
                    "destination": order["destination"],
                    "history": list(order["history"]),
                    "link": order["courier"]["link"],
                    "order_id": order["id"],
                    "status": order["status"],
                },
            )

    # ------------------------------------------------------------ the courier

    def advance(self, order_id: str, status: str, note: str = "", at: datetime | None = None) -> dict:
        """The parcel moves: a step in its history. Answers the webhook body Biteship would post."""
        when = (at or datetime.now(JAKARTA)).isoformat(timespec="seconds")
        with self.lock:
            order = self.orders[order_id]
            order["status"] = status
            order["history"].append({"note": note or status, "status": status, "updated_at": when})
            courier = order["courier"]
        return {
            "event": "order.status",
            "courier_tracking_id": courier["tracking_id"],
            "courier_waybill_id": courier["waybill_id"],
            "courier_company": courier["company"],
            "courier_type": courier["type"],
            "courier_link": courier["link"],
            "order_id": order_id,
            "order_price": order["price"],
            "status": status,
            "updated_at": when,
        }

    def headers(self, secret: str | None = None) -> dict:
        return {self.webhook_header: self.webhook_secret if secret is None else secret}

    def post_webhook(self, url: str, payload: dict, secret: str | None = None) -> int:
        """Biteship posting to the app's live server."""
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json", **self.headers(secret)},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
