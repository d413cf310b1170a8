"""Biteship, the shipping aggregator (JNE, J&T, SiCepat, AnterAja, POS and more through one API): the only
module that talks to it, in plain HTTP with the standard library.

- Rates: `POST /v1/rates/couriers` by origin and destination postal code and the items' weight; the answer's
  `pricing` has one row per courier service (courier_code, courier_service_code, price, shipment_duration_range).
- Orders: `POST /v1/orders` books a pick-up and answers the courier's tracking_id and waybill_id.
- Tracking: `GET /v1/trackings/{tracking_id}` (an order booked here) or `GET /v1/trackings/{waybill}/couriers/
  {courier}` (a waybill the group got at the counter): a status and a history of {note, status, updated_at}.
- Webhooks (order.status, order.waybill_id, order.price) carry the custom header set in Biteship's dashboard
  (its "signature key" names the header, its "signature secret" is the value): `signature_ok` compares it.

Amounts are whole rupiah, weights grams. The API key goes, as Biteship asks, raw in the Authorization header."""

from __future__ import annotations

import hmac
import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app


class CourierError(Exception):
    """Biteship could not be reached, or answered with an error: the caller falls back or tells the user."""


@dataclass(frozen=True)
class Rate:
    courier: str  # courier_code, e.g. "jne"
    service: str  # courier_service_code, e.g. "reg"
    courier_name: str  # "JNE"
    service_name: str  # "Reguler"
    price_idr: int
    etd_min: int | None = None  # days
    etd_max: int | None = None


@dataclass(frozen=True)
class Booking:
    order_id: str
    tracking_id: str | None
    waybill: str | None
    status: str
    link: str | None = None


@dataclass(frozen=True)
class Step:
    at: datetime
    status: str
    note: str


@dataclass
class Tracking:
    status: str
    waybill: str | None
    history: list[Step] = field(default_factory=list)


def configured() -> bool:
    return bool(current_app.config.get("BITESHIP_API_KEY"))


def _call(method: str, path: str, body: dict | None = None) -> dict:
    cfg = current_app.config
    request = urllib.request.Request(
        cfg["BITESHIP_BASE_URL"].rstrip("/") + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": cfg["BITESHIP_API_KEY"], "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=cfg["BITESHIP_TIMEOUT"]) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode(errors="replace")
        raise CourierError(f"Biteship answered {exc.code}: {detail}") from None
    except (OSError, ValueError) as exc:  # the network, a timeout, a body that is not JSON
        raise CourierError(f"Biteship could not be reached: {exc!r}") from None
    if not isinstance(answer, dict) or answer.get("success") is False:
        raise CourierError(f"Biteship refused: {str(answer)[:500]}")
    return answer


def _days(row: dict) -> tuple[int | None, int | None]:
    """ "1 - 2" days (or hours: same day) as (1, 2)."""
    numbers = [int(n) for n in re.findall(r"\d+", str(row.get("shipment_duration_range") or row.get("duration") or ""))]
    if not numbers:
        return None, None
    if str(row.get("shipment_duration_unit") or "days").startswith("hour"):
        return 0, 1
    return min(numbers), max(numbers)


def rates(origin_postal: str, destination_postal: str, items: list[dict]) -> list[Rate]:
    """The couriers' services for a parcel; `items`: {name, value (rupiah), weight (grams), quantity}."""
    answer = _call(
        "POST",
        "/v1/rates/couriers",
        {
            "origin_postal_code": int(origin_postal),
            "destination_postal_code": int(destination_postal),
            "couriers": current_app.config["BITESHIP_COURIERS"],
            "items": items,
        },
    )
    found = []
    for row in answer.get("pricing") or []:
        try:
            low, high = _days(row)
            found.append(
                Rate(
                    str(row["courier_code"]).lower(),
                    str(row["courier_service_code"]).lower(),
                    str(row.get("courier_name") or row["courier_code"]).strip(),
                    str(row.get("courier_service_name") or row["courier_service_code"]).strip(),
                    int(row["price"]),
                    low,
                    high,
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # a row without a courier, a service or a price is not an offer
    return sorted(found, key=lambda r: (r.price_idr, r.courier, r.service))


def book(
    *, reference: str, courier: str, service: str, origin: dict, destination: dict, items: list[dict], note: str = ""
) -> Booking:
    """A pick-up: `origin` and `destination` have contact_name, contact_phone, address, postal_code."""
    body = {f"origin_{k}": v for k, v in origin.items()} | {f"destination_{k}": v for k, v in destination.items()}
    body |= {
        "origin_postal_code": int(origin["postal_code"]),
        "destination_postal_code": int(destination["postal_code"]),
        "courier_company": courier,
        "courier_type": service,
        "delivery_type": "now",
        "reference_id": reference,
        "order_note": note[:200],
        "items": items,
    }
    answer = _call("POST", "/v1/orders", body)
    carrier = answer.get("courier") or {}
    if not answer.get("id"):
        raise CourierError(f"Biteship answered no order id: {str(answer)[:300]}")
    return Booking(
        order_id=str(answer["id"]),
        tracking_id=carrier.get("tracking_id"),
        waybill=carrier.get("waybill_id"),
        status=str(answer.get("status") or "confirmed"),
        link=carrier.get("link"),
    )


def cancel(order_id: str, reason: str) -> None:
    _call("POST", f"/v1/orders/{order_id}/cancel", {"cancellation_reason": reason})


def cancel_duplicate(order_id: str) -> None:
    """A booking another press already made: cancelled, and only logged if Biteship cannot be reached."""
    try:
        cancel(order_id, "duplicate booking")
    except CourierError as exc:
        logging.getLogger(__name__).warning("could not cancel duplicate Biteship order %s: %s", order_id, exc)


def when(text) -> datetime:
    """Biteship's times ("2021-03-16T18:17:00+07:00", or without a zone: WIB) in UTC."""
    from zoneinfo import ZoneInfo

    try:
        at = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
    return at.astimezone(UTC)


def tracking(tracking_id: str | None = None, *, waybill: str | None = None, courier: str | None = None) -> Tracking:
    """The history of an order booked here (its tracking_id) or of any waybill of a courier."""
    path = f"/v1/trackings/{tracking_id}" if tracking_id else f"/v1/trackings/{waybill}/couriers/{courier}"
    answer = _call("GET", path)
    steps = [
        Step(when(h.get("updated_at")), str(h.get("status") or ""), str(h.get("note") or "")[:500])
        for h in answer.get("history") or []
        if h.get("status")
    ]
    return Tracking(status=str(answer.get("status") or ""), waybill=answer.get("waybill_id"), history=steps)


def signature_ok(headers) -> bool:
    """The webhook carries the header named in the dashboard with the secret as its value."""
    secret = current_app.config.get("BITESHIP_WEBHOOK_SECRET") or ""
    sent = headers.get(current_app.config["BITESHIP_WEBHOOK_HEADER"]) or ""
    return bool(secret) and hmac.compare_digest(sent.encode(), secret.encode())
