"""`flask demo seed`: groups and products from real UPPKS places, photos drawn on the fly, and demo
accounts printed. Everything goes through the same services as the pages; the tables are in accounts.py,
places.py and products.py."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts import registration
from app.accounts.models import User
from app.catalog.models import Permit, Product
from app.catalog.photos import add_photo
from app.catalog.products import create_product, products_of_group
from app.core.images import placeholder_photo
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.demo.accounts import ACCOUNTS, PASSWORD
from app.demo.places import GROUPS
from app.demo.products import P
from app.events import publishing, taking_part
from app.export import services as export
from app.extensions import db
from app.groups import services as groups
from app.orders import checkout as checkouts
from app.orders import status as moves
from app.sales import services as sales
from app.wholesale import organisations

demo_cli = AppGroup("demo", help="Demo data.")


def _user(email: str, name: str, role: str) -> User:
    if role in ("admin", "officer"):
        user = registration.create_operator(email, role, PASSWORD, province="64" if role == "officer" else None)
        user.name = name
        db.session.commit()
        return user
    user = registration.register(email, PASSWORD, name, "081200000000" if role in ("buyer", "business") else None)
    user.email_proven_at = utcnow()  # the demo's people are who they say (their purchases count)
    db.session.commit()
    return user


@demo_cli.command("seed")
@click.option("--photos/--no-photos", default=True, help="Draw a photo for each product.")
def seed(photos: bool):
    """Fill an empty database with demo data and print the demo accounts."""
    import logging

    logging.getLogger("app.core.mail").setLevel(logging.WARNING)  # the demo's own order mails stay quiet
    if db.session.scalar(select(User).where(User.email == ACCOUNTS[0][0])):
        click.echo("Demo data already there.")
    else:
        _fill(photos)
        click.echo(f"Demo data: {len(GROUPS) + 1} groups, {len(P)} products.")
    click.echo(f"Demo accounts (password for all: {PASSWORD}):")
    for email, name, role in ACCOUNTS:
        click.echo(f"  {role:9} {email:36} {name}")


def _fill(photos: bool) -> None:
    """Every step of the seed, in order: people, groups, products, then what they did."""

    users = {role: _user(email, name, role) for email, name, role in ACCOUNTS}
    admin, chair = users["admin"], users["chair"]
    made = _groups(admin, chair, users)
    for gi, name, cat, price, unit, weight, stock, min_qty, tiers, permits, desc, ingr, shelf in P:
        group, colour = made[gi]
        product = create_product(
            chair,
            group.slug,
            {
                "name": name,
                "category": cat,
                "description": desc,
                "ingredients": ingr,
                "unit": unit,
                "net_weight_g": weight,
                "shelf_life_days": shelf,
                "price_idr": price,
                "stock": stock,
                "min_order_qty": min_qty,
                "status": "active",
                "price_tiers": [{"min_qty": q, "unit_price_idr": p} for q, p in tiers],
                "permits": [
                    {"type": t, "number": n, "issued_on": date(2024, 3, 1), "expires_on": date(2029, 3, 1)}
                    for t, n, _s in permits
                ],
            },
        )
        _decide_permits(admin, product, [status for _t, _n, status in permits])
        if photos:
            red, green, blue = (max(0, min(255, c + (hash(name) % 40) - 20)) for c in colour)
            add_photo(chair, product.id, placeholder_photo(name, (red, green, blue), (960, 720)))
    _business(users["business"], admin, made[0][0])
    _events(users["officer"], chair, made[0][0], made[1][0])
    _export(admin, chair)
    _expire_one_permit()
    db.session.commit()


def _groups(admin, chair, users: dict) -> list:
    """The verified groups of GROUPS (each with its own payout account; the treasurer, the secretary and the
    member join the first), then one group still waiting for verification. Returns (group, photo colour) for
    each verified group, in order."""
    member = users["member"]

    made = []
    for i, (name, regency, district, village, btype, year, count, wa, story, colour) in enumerate(GROUPS):
        group = groups.register_group(
            chair,
            {
                "name": name,
                "regency": regency,
                "district": district,
                "village": village,
                "business_type": btype,
                "founded_year": year,
                "member_count": count,
                "whatsapp": wa,
                "story": story,
            },
        )
        groups.verify_group(admin, group.slug)
        # a group's own account: a buyer of this group alone transfers straight to it
        groups.update_payout(chair, group.slug, "Bank BRI", f"0123-01-{4000 + i:06d}-50-{i + 1}", name)
        if i == 0:
            for role in ("treasurer", "secretary", "member"):
                groups.add_member(chair, group.slug, users[role].email, role)
        made.append((group, colour))
    groups.register_group(
        member,
        {
            "name": "UPPKS Kenanga Jembrana",
            "regency": "51.01",
            "business_type": "lainnya",
            "member_count": 10,
            "story": "Menunggu verifikasi.",
        },
    )
    return made


def _decide_permits(admin, product, statuses: list[str]) -> None:
    """Officers' decisions on a new product's permits, as if they had been made."""

    for permit, status in zip(product.permits, statuses, strict=True):
        if status in ("verified", "rejected", "in_process"):
            permit.status = status
        if status != "in_process" and status != "submitted":
            permit.decided_by_id, permit.decided_at = admin.id, utcnow()
        if status == "rejected":
            permit.reason = "Nomor tidak ditemukan di database BPOM/Dinas Kesehatan."
    product.refresh_permit_validity()


def _expire_one_permit() -> None:
    """One permit that has run out: it shows as expired on its own."""

    expired = db.session.scalars(select(Permit).where(Permit.number == "206647201002925")).first()
    if expired:
        expired.expires_on = today_wib() - timedelta(days=10)
        expired_product = db.session.get(Product, expired.product_id)
        assert expired_product is not None  # a foreign key: a permit goes with its product
        expired_product.refresh_permit_validity()


def _events(officer, chair, samarinda, balikpapan) -> None:
    """A bazaar next week in Samarinda with both Kaltim groups taking part (buyers can reserve for pick-up
    there), and an exhibition last month where the Samarinda group booked what it sold."""

    today = today_wib()
    bazaar = publishing.publish(
        officer,
        {
            "name": "Bazar UPPKS Harganas Kaltim",
            "kind": "bazar",
            "regency": "64.72",
            "open_to": "provinsi",
            "address": "GOR Segiri, Jl. Kesuma Bangsa, Samarinda",
            "starts_on": today + timedelta(days=7),
            "ends_on": today + timedelta(days=9),
            "description": "Bazar produk kelompok UPPKS se-Kalimantan Timur dalam rangka Hari Keluarga Nasional.",
        },
    )
    fair = publishing.publish(
        officer,
        {
            "name": "Pameran Produk Unggulan Balikpapan",
            "kind": "pameran",
            "regency": "64.71",
            "open_to": "semua",
            "address": "Balikpapan Dome, Jl. Ruhui Rahayu",
            "starts_on": today,
            "ends_on": today,
        },
    )
    for event in (bazaar, fair):
        for group in (samarinda, balikpapan):
            taking_part.apply(chair, event.slug, group.slug, "Amplang, kerupuk dan abon ikan")
            taking_part.decide(officer, event.slug, group.id, "accepted")
    fair.starts_on = fair.ends_on = today - timedelta(days=30)  # as if it had been last month
    db.session.commit()
    product = products_of_group(samarinda)[0]
    sales.record(
        chair,
        samarinda.slug,
        {
            "sold_on": fair.starts_on,
            "event_id": fair.id,
            "place": "",
            "reduce_stock": False,
            "lines": [{"product_id": product.id, "quantity": 40, "amount_idr": 40 * product.price_idr}],
        },
    )


def _export(admin, chair) -> None:
    """Today's dollar rate, and two export-ready listings: amplang (its P-IRT verified) and a purun bag."""

    export.set_rate(admin, 16250, today_wib(), "JISDOR Bank Indonesia (contoh)")
    listings = {
        "Amplang Manggar Original": {
            "name_en": "Amplang fish crackers, original",
            "hs_code": "1905.90.90",
            "min_export_qty": 500,
            "description_en": "Crunchy fish crackers made by hand from mackerel and tapioca by the women of Manggar, "
            "Balikpapan. Sealed 200 g pouch, 24 pouches to a carton.",
            "pack_length_cm": 20,
            "pack_width_cm": 14,
            "pack_height_cm": 6,
        },
        "Tas Anyaman Purun": {
            "name_en": "Purun grass tote bag",
            "hs_code": "4602.19",
            "min_export_qty": 100,
            "description_en": "Tote bag woven by hand from purun, a swamp sedge of Amuntai, South Kalimantan. "
            "Natural colour, about 35 x 30 cm.",
            "pack_length_cm": 36,
            "pack_width_cm": 31,
            "pack_height_cm": 3,
        },
    }
    for name, details in listings.items():
        product = db.session.scalars(select(Product).where(Product.name == name)).first()
        if product is not None:
            export.save_listing(chair, product.id, dict(details, ready=True))


def _business(staff, admin, group) -> None:
    """A verified hotel with 30 days' terms, an outlet, and two completed orders: a partner of the group."""

    org = organisations.register_org(
        staff,
        {
            "name": "Hotel Mesra Samarinda",
            "type": "hotel",
            "npwp": "012345678901000",
            "regency": "64.72",
            "address": "Jl. Pahlawan No. 1, Samarinda",
        },
    )
    organisations.verify_org(admin, org.id, 30)
    address = {
        "label": "Hotel utama",
        "name": "Bagian pembelian",
        "phone": "0541741234",
        "street": "Jl. Pahlawan No. 1",
        "district": "Samarinda Ulu",
        "regency": "64.72",
        "postal_code": "75123",
    }
    organisations.add_address(staff, address)
    chair = next(m.user for m in groups.members(group) if m.role == "chair")
    product = products_of_group(group)[0]
    for _ in range(2):
        checkout = checkouts.place_checkout(
            staff,
            checkouts.CheckoutRequest(
                items=[(product.id, 20)], shipping_address=dict(address, province="64"), payment_method="invoice"
            ),
        )
        order = checkout.orders[0]
        for to, extra in (("processing", {}), ("shipped", {"tracking_number": "JNE8800123"}), ("delivered", {})):
            moves.move_by_group(chair, order.id, to, **extra)
        moves.confirm_receipt(staff, order.id)
