"""Shapes of /api/v1: bazaars and exhibitions."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .common import GroupName, Out


class EventStandOut(Out):
    group: GroupName
    product_ids: list[int] = Field(description="Its products on sale: reserve them for pick-up at the event")


class EventItemOut(Out):
    slug: str
    name: str
    kind: Literal["bazar", "pameran", "festival"]
    province: str
    regency: str
    address: str
    starts_on: date
    ends_on: date
    open_to: Literal["semua", "provinsi", "kabupaten"]
    description: str | None
    cancelled: bool
    url: str


class EventDetailOut(EventItemOut):
    stands: list[EventStandOut]


class EventListOut(Out):
    items: list[EventItemOut]
