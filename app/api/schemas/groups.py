"""Shapes of /api/v1: groups (UPPKS) and their members."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .common import In, Out

BusinessType = Literal["industri_rumah_tangga", "pertanian", "jasa", "peternakan", "lainnya"]
# a membership's role (app.groups.roles: what each may do); kept equal to MEMBER_ROLES by a test
MemberRole = Literal["chair", "treasurer", "secretary", "member"]


class GroupIn(In):
    name: str = Field(max_length=120)
    province: str = Field(max_length=8, description="Province code from GET /regions")
    regency: str = Field(max_length=8, description="Regency code from GET /regions/{code}")
    district: str | None = Field(default=None, max_length=120)
    village: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=255)
    business_type: BusinessType
    founded_year: int | None = None
    member_count: int = Field(ge=1, le=10_000)
    story: str | None = Field(default=None, max_length=5000)
    whatsapp: str | None = Field(default=None, max_length=30)


class MemberIn(In):
    email: str = Field(max_length=254)
    role: MemberRole = "member"


class RoleIn(In):
    role: MemberRole


class GroupRef(Out):
    slug: str
    name: str
    province: str
    regency: str


class GroupOut(Out):
    slug: str
    name: str
    province: str
    province_name: str
    regency: str
    regency_name: str
    district: str | None
    village: str | None
    business_type: str
    founded_year: int | None
    member_count: int
    story: str | None
    whatsapp: str | None
    status: str
    created_at: datetime


class MemberOut(Out):
    user_id: int
    name: str
    role: MemberRole


class MemberList(Out):
    """Every member of the group (no paging: a group has tens of members)."""

    items: list[MemberOut]


class InvitationOut(Out):
    """An invitation e-mailed to the address; the person joins on accepting (an account is made then
    if there is none). The answer is the same whether or not the address has an account."""

    email: str
    role: str | None
    expires_at: datetime


class GroupList(Out):
    items: list[GroupOut]
    next_cursor: str | None
