"""The couriers a group's part of a cart may go by, each with its price and the days it takes: Biteship's
services where Biteship is configured and both ends have a postal code, else the zone table's one rate
(code "courier", as before). Codes are `courier:service` ("jne:reg"); "courier" (or no choice) takes the
cheapest offered, so a client that only says "courier" is charged what the quote showed first."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from flask import g
from flask_babel import gettext as _

from . import biteship_gateway as gateway
from . import shipping

log = logging.getLogger(__name__)
ZONE_CODE = "courier"
# the courier codes Biteship uses, as buyers know them (a code not here is shown upper-cased)
COURIER_NAMES = {
    "jne": "JNE",
    "jnt": "J&T",
    "sicepat": "SiCepat",
    "anteraja": "AnterAja",
    "pos": "POS Indonesia",
    "tiki": "TIKI",
    "ninja": "Ninja Xpress",
    "lion": "Lion Parcel",
    "idexpress": "ID Express",
    "gojek": "GoSend",
    "grab": "GrabExpress",
}


@dataclass(frozen=True)
class Option:
    code: str
    name: str
    price_idr: int
    etd_min: int | None = None
    etd_max: int | None = None
    zone: str | None = None  # the zone table's rate: which zone

    @property
    def etd_days(self) -> int | None:
        """At most this many days (the courier's range's upper end); None when the courier does not say."""
        return self.etd_max

    @property
    def days(self) -> str:
        if self.etd_max is None:
            return ""
        if self.etd_max == 0 or self.etd_min == self.etd_max:
            return _("%(n)s hari", n=max(self.etd_max, 1))
        return _("%(a)s–%(b)s hari", a=self.etd_min, b=self.etd_max)


def courier_name(code: str | None) -> str:
    return COURIER_NAMES.get(code or "", (code or "").upper())


def parcel(lines) -> list[dict]:
    """A group's lines as Biteship's items: name, value in rupiah, weight in grams, quantity."""
    return [
        {
            "name": line.product.name[:50],
            "value": line.unit_price_idr,
            "weight": max(1, line.product.net_weight_g),
            "quantity": line.quantity,
        }
        for line in lines
    ]


def order_parcel(order) -> list[dict]:
    """An order's lines as Biteship's items (a pick-up of the order, or of its return)."""
    return [
        {
            "name": line.name[:50],
            "value": line.unit_price_idr,
            "weight": max(1, line.net_weight_g),
            "quantity": line.quantity,
        }
        for line in order.lines
    ]


def group_end(group) -> dict:
    """The group's pick-up address as one end of a Biteship order."""
    return {
        "contact_name": group.name,
        "contact_phone": group.whatsapp or "",
        "address": ", ".join(x for x in (group.address, group.village, group.district, group.regency_name) if x),
        "postal_code": group.postal_code,
    }


def buyer_end(checkout) -> dict:
    """The buyer's shipping address as one end of a Biteship order."""
    street = (checkout.ship_street, checkout.ship_village, checkout.ship_district, checkout.ship_regency_name)
    return {
        "contact_name": checkout.ship_name,
        "contact_phone": checkout.ship_phone,
        "address": ", ".join(x for x in street if x),
        "postal_code": checkout.ship_postal_code,
    }


def _rates(origin: str, destination: str, items: list[dict]) -> list[gateway.Rate]:
    """Biteship's rates, asked once per request for the same parcel (a page quotes more than once)."""
    memo = g.setdefault("_courier_rates", {})
    key = (origin, destination, json.dumps(items, sort_keys=True))
    if key not in memo:
        try:
            memo[key] = gateway.rates(origin, destination, items)
        except gateway.CourierError as exc:
            log.warning("courier rates unavailable, the zone table prices this parcel: %s", exc)
            memo[key] = []
    return memo[key]


def offered(group, lines, weight_g: int, ship_province: str | None, ship_postal: str | None, table) -> list[Option]:
    """The options for one group's parcel to the buyer, cheapest first; none before the address is known."""
    if gateway.configured() and group.postal_code and ship_postal:
        rates = _rates(group.postal_code, ship_postal, parcel(lines))
        if rates:
            return [Option(f"{r.courier}:{r.service}", display(r), r.price_idr, r.etd_min, r.etd_max) for r in rates]
    if not ship_province:
        return []
    zone = shipping.zone(group.province_code, ship_province)
    price = shipping.cost(weight_g, zone, table)
    return [
        Option(ZONE_CODE, _("Kurir (tarif %(zone)s)", zone=str(shipping.ZONE_LABELS[zone]).lower()), price, zone=zone)
    ]


def display(rate: gateway.Rate) -> str:
    """J&T EZ, POS Indonesia Pos Reguler: the courier's name as buyers know it, then its service's."""
    return f"{COURIER_NAMES.get(rate.courier, rate.courier_name)} {rate.service_name}".strip()


def choose(options: list[Option], choice: str) -> Option | None:
    """The option chosen by its code; none chosen (or "courier"): the cheapest. None: not offered."""
    if choice in ("", ZONE_CODE):
        return options[0] if options else None
    return next((o for o in options if o.code == choice), None)
