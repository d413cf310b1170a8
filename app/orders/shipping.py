"""Shipping: by weight and by the zone between the group's province and the buyer's.

Zones follow the Kemendagri codes, whose first digit is the island group (1 Sumatera, 3 Jawa,
5 Bali-Nusa Tenggara, 6 Kalimantan, 7 Sulawesi, 8 Maluku, 9 Papua): the same province, the same
island group, or across islands. Prices come from the rate table that an admin edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import Forbidden, NotFound, ValidationFailed
from app.extensions import db

from .models import ShippingRate

ZONE_LABELS = {"dalam_provinsi": _l("Dalam provinsi"), "satu_pulau": _l("Satu pulau"), "antar_pulau": _l("Antar pulau")}
DEFAULT_RATES = {"dalam_provinsi": (10_000, 5_000), "satu_pulau": (20_000, 10_000), "antar_pulau": (35_000, 20_000)}


@dataclass(frozen=True)
class PickupPoint:
    """Somewhere a group hands orders over other than its own place: an event it takes part in."""

    id: int
    name: str
    label: str  # name, dates and address, as the buyer is told
    until: datetime  # an unpaid reservation runs out then (the end of the event's last day, in its zone)
    province_code: str = ""  # where it is: the times of a pick-up-only checkout are told in its zone


_PICKUP_POINTS: list[Callable] = []


def register_pickup_points(lookup: Callable) -> None:
    """`lookup(group_ids) -> {group_id: [PickupPoint]}` (app/events registers the events groups take part in)."""
    _PICKUP_POINTS[:] = [lookup]


def pickup_points(group_ids) -> dict[int, list[PickupPoint]]:
    return _PICKUP_POINTS[0](list(group_ids)) if _PICKUP_POINTS and group_ids else {}


def zone(from_province: str, to_province: str) -> str:
    if from_province == to_province:
        return "dalam_provinsi"
    if from_province[:1] == to_province[:1]:
        return "satu_pulau"
    return "antar_pulau"


def rates() -> dict[str, ShippingRate]:
    return {r.zone: r for r in db.session.scalars(select(ShippingRate))}


def cost(weight_g: int, zone_name: str, table: dict[str, ShippingRate] | None = None) -> int:
    table = table if table is not None else rates()
    rate = table.get(zone_name)
    first, per_kg = (rate.first_kg_idr, rate.next_kg_idr) if rate else DEFAULT_RATES[zone_name]
    kilograms = max(1, -(-weight_g // 1000))  # every started kilogram counts
    return first + (kilograms - 1) * per_kg


def update_rate(actor, zone_name: str, first_kg_idr: int, next_kg_idr: int) -> ShippingRate:
    from flask_babel import gettext as _

    if not actor.is_admin:
        raise Forbidden(_("Hanya admin yang dapat mengubah tarif."))
    rate = db.session.get(ShippingRate, zone_name)
    if rate is None:
        raise NotFound()
    if not (0 <= first_kg_idr <= 10_000_000 and 0 <= next_kg_idr <= 10_000_000):
        raise ValidationFailed(_("Tarif di luar batas."), {"first_kg_idr": [_("Tarif di luar batas.")]})
    rate.first_kg_idr, rate.next_kg_idr = first_kg_idr, next_kg_idr
    db.session.commit()
    return rate
