from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class Decision(db.Model):
    """Every officer's or admin's decision, with who, when, why and where."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # group | permit | organisation | product | price | offline_sale
    object_id: Mapped[int] = mapped_column(index=True)
    # verified | rejected | hidden | shown | suspended | restored | accepted
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    province_code: Mapped[str | None] = mapped_column(String(8), index=True)
    regency_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User", lazy="joined")


class StatsSnapshot(db.Model):
    """An area's dashboard numbers as last counted (a materialized rollup): officers read this row, the
    job `stats.refresh` recounts it each minute, so no officer waits for the national count (a third of
    a second at national size) and sixteen of them at once do not count it sixteen times."""

    __tablename__ = "stats_snapshots"

    area_key: Mapped[str] = mapped_column(String(40), primary_key=True)  # province:regency:months
    data: Mapped[dict] = mapped_column(db.JSON)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
