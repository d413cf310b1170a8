"""Shapes of /api/v1: tokens and accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .common import In, Out
from .groups import MemberRole


class TokenIn(In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class AccountIn(In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=30)


class TokenOut(Out):
    token: str
    token_type: Literal["Bearer"]
    expires_at: datetime


class AccountOut(Out):
    id: int
    email: str
    name: str


class MeGroup(Out):
    slug: str
    name: str
    role: MemberRole
    status: str


class MeOut(Out):
    id: int
    email: str
    name: str
    phone: str | None
    roles: list[str]
    scope: dict | None
    groups: list[MeGroup]
    organisation: dict | None
