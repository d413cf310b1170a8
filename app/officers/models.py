from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model, db


class StatsSnapshot(Model):
    """An area's dashboard numbers as last counted (a materialized rollup): officers read this row, the
    job `stats.refresh` recounts it each minute, so no officer waits for the national count (a third of
    a second at national size) and sixteen of them at once do not count it sixteen times."""

    __tablename__ = "stats_snapshots"

    area_key: Mapped[str] = mapped_column(String(40), primary_key=True)  # province:regency:months
    data: Mapped[dict] = mapped_column(db.JSON)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
