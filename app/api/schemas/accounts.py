"""Shapes of /api/v1: tokens and accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from .common import In, Out
from .groups import MemberRole


class TokenIn(In):
    """Either an e-mail address and its password, or a phone number and the code just sent to it
    (POST /auth/otp)."""

    email: str | None = Field(default=None, max_length=254)
    password: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30, description="With code: 0812…, 62812… or +62812…")
    code: str | None = Field(default=None, max_length=6, description="The 6-digit code sent to phone")

    @model_validator(mode="after")
    def one_way_in(self):
        by_password = self.email is not None and self.password is not None
        by_code = self.phone is not None and self.code is not None
        others = (self.phone, self.code) if by_password else (self.email, self.password)
        if by_password == by_code or any(v is not None for v in others):
            raise ValueError("send either email and password, or phone and code")
        return self


class OtpIn(In):
    phone: str = Field(max_length=30, description="An Indonesian mobile number: 0812…, 62812… or +62812…")


class OtpOut(Out):
    phone: str = Field(description="The number the code was sent to, E.164")
    expires_in: int = Field(description="Seconds the code works")


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
    email: str | None  # an account made with a phone number may have none
    name: str
    phone: str | None
    phone_verified: bool
    roles: list[str]
    scope: dict | None
    groups: list[MeGroup]
    organisation: dict | None
