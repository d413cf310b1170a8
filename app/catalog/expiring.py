"""Permits that run out: the officers' list of those ending soon in their area, and the daily notice
to each group (once per permit)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.scope import scope_of
from app.core import jobs
from app.core.timefmt import long_date, today_wib
from app.extensions import db
from app.groups.contact import tell_group
from app.groups.models import Group

from .models import Permit, Product

NOTICE_DAYS = 60  # a permit that ends within this many days is "ending soon": the group is told


def expiring_permits(actor: User, days: int = NOTICE_DAYS) -> list[Permit]:
    area = scope_of(actor)
    today = today_wib()
    return list(
        db.session.scalars(
            select(Permit)
            .join(Product, Product.id == Permit.product_id)
            .join(Group, Group.id == Product.group_id)
            .where(
                Permit.status == "verified",
                Permit.expires_on.between(today, today + timedelta(days=days)),
                area.where(Group.province_code, Group.regency_code),
            )
            .order_by(Permit.expires_on)
        )
    )


@jobs.task("permits.notify", every=86400)
def notify_expiring(days: int = NOTICE_DAYS) -> int:
    """`flask permits notify-expiring` (daily): tell each group once about permits that run out soon."""
    today = today_wib()
    rows = db.session.scalars(
        select(Permit).where(
            Permit.status == "verified",
            Permit.expires_on.between(today, today + timedelta(days=days)),
            Permit.expiry_notified_on.is_(None),
        )
    ).all()
    for permit in rows:
        product = db.session.get(Product, permit.product_id)
        assert product is not None  # a foreign key: a permit goes with its product (ON DELETE CASCADE)
        when = long_date(permit.expires_on)
        tell_group(
            product.group_id,
            "izin_segera_habis",
            [permit.number, product.name, when],
            key=f"izin_segera_habis:{permit.id}:{permit.expires_on}",
            subject=_("Izin %(n)s segera habis", n=permit.number),
            body=_(
                "Izin %(n)s untuk %(p)s berlaku sampai %(d)s. Segera perpanjang.",
                n=permit.number,
                p=product.name,
                d=when,
            ),
        )
        permit.expiry_notified_on = today
    db.session.commit()
    return len(rows)
