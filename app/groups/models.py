from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import regions
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model

BUSINESS_TYPES = ("industri_rumah_tangga", "pertanian", "jasa", "peternakan", "lainnya")
GROUP_STATUSES = ("pending", "verified", "rejected", "suspended")
GROUP_CLASSES = ("mikro", "kecil", "menengah")
MEMBER_ROLES = ("chair", "treasurer", "secretary", "member")  # who may do what: roles.py


class Group(regions.InRegion, Model):
    __tablename__ = "groups"
    __table_args__ = (CheckConstraint("member_count >= 0", name="member_count_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    regency_code: Mapped[str] = mapped_column(String(8), index=True)
    district: Mapped[str | None] = mapped_column(String(120))
    village: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(255))
    postal_code: Mapped[str | None] = mapped_column(String(5))  # where couriers pick up (with the address)
    founded_year: Mapped[int | None]
    business_type: Mapped[str] = mapped_column(String(32))
    member_count: Mapped[int] = mapped_column(default=0)
    story: Mapped[str | None] = mapped_column(Text)
    whatsapp: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +6281234567890
    # whether buyers see a WhatsApp link to the group on its products and orders (the chair decides)
    whatsapp_shown: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    group_class: Mapped[str] = mapped_column(String(16), default="mikro")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status_reason: Mapped[str | None] = mapped_column(String(500))
    payout_bank: Mapped[str | None] = mapped_column(String(60))
    payout_account_number: Mapped[str | None] = mapped_column(String(40))
    payout_account_name: Mapped[str | None] = mapped_column(String(120))
    # on the invoices a finance department files; what the platform does not decide, the group sets
    npwp: Mapped[str | None] = mapped_column(String(25))  # tax number (15 or 16 digits)
    nib: Mapped[str | None] = mapped_column(String(13))  # business identification number (OSS), 13 digits
    pkp: Mapped[bool] = mapped_column(default=False)  # registered to charge VAT (Pengusaha Kena Pajak)
    # holds the certificate for the final 0.5 % tax of small businesses (PP 55/2022): buyers do not withhold PPh 22
    final_tax_certificate: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships = relationship("Membership", back_populates="group", cascade="all, delete-orphan")

    @property
    def zone(self) -> str:
        return regions.zone_of(self.province_code)

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"

    @property
    def whatsapp_link(self) -> str | None:
        return f"https://wa.me/{self.whatsapp.lstrip('+')}" if self.whatsapp else None


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship(back_populates="memberships", lazy="joined")
    user = relationship("User", back_populates="memberships")


class JoinLink(Model):
    """A link (shown as a QR code, or shared by WhatsApp) by which a person with a phone number asks to
    join the group; the chair confirms each request (JoinRequest). The token is kept as it is: the chair
    shows the link again as long as it is open, and it only lets someone ask."""

    __tablename__ = "group_join_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship(lazy="joined")


JOIN_REQUEST_STATUSES = ("pending", "confirmed", "refused")


class JoinRequest(Model):
    """A person who opened a join link and asked to join; the chair confirms (she becomes a member) or
    refuses."""

    __tablename__ = "group_join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("group_join_links.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
