"""What every shape of /api/v1 builds on: requests forbid unknown fields (In), responses (Out), the problem document."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.inputs import MAX_ID

Qty = Field(ge=1, le=1_000_000)


IdIn = Annotated[int, Field(ge=1, le=MAX_ID, description="A row id (1 to 2147483647)")]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    request_id: str | None = Field(
        default=None, description="Also in the X-Request-ID header and the logs: quote it when reporting a problem"
    )


class GroupName(Out):
    slug: str
    name: str
