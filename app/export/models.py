from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model


class ExportListing(Model):
    """What an importer needs to know of a product, in English; whether it is export-ready is kept on the
    product itself (products.export_ready, export_until) so the catalog filters on it by index."""

    __tablename__ = "export_listings"
    __table_args__ = (CheckConstraint("min_export_qty >= 1", name="min_export_qty_positive"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    name_en: Mapped[str | None] = mapped_column(String(120))
    description_en: Mapped[str | None] = mapped_column(Text)
    hs_code: Mapped[str | None] = mapped_column(String(12))  # "1905.90" or the Indonesian 8 digits "1905.90.90"
    pack_length_cm: Mapped[int | None]
    pack_width_cm: Mapped[int | None]
    pack_height_cm: Mapped[int | None]
    min_export_qty: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class UsdRate(Model):
    """The rupiah per US dollar that indicative export prices use, set by an admin; the newest counts."""

    __tablename__ = "usd_rates"
    __table_args__ = (CheckConstraint("idr_per_usd > 0", name="rate_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idr_per_usd: Mapped[int] = mapped_column(BigInteger)
    rate_date: Mapped[date] = mapped_column(Date)  # the day the rate was taken (e.g. Bank Indonesia's JISDOR)
    source: Mapped[str | None] = mapped_column(String(120))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
