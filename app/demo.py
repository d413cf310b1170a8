"""`flask demo seed`: groups and products from real UPPKS places, photos drawn on the fly, and demo
accounts printed. Everything goes through the same services as the pages."""

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
from app.events import publishing, taking_part
from app.export import services as export
from app.extensions import db
from app.groups import services as groups
from app.orders import checkout as checkouts
from app.orders import status as moves
from app.sales import services as sales
from app.wholesale import organisations

demo_cli = AppGroup("demo", help="Demo data.")

PASSWORD = "pasar-demo-2026"
ACCOUNTS = [
    ("admin@pasar.example", "Admin Pasar", "admin"),
    ("petugas.kaltim@pasar.example", "Petugas BKKBN Kaltim", "officer"),
    ("ketua@pasar.example", "Ibu Siti Rahmah", "chair"),
    ("anggota@pasar.example", "Ibu Dewi Lestari", "member"),
    ("pembeli@pasar.example", "Budi Santoso", "buyer"),
    ("hotel@pasar.example", "Bu Rina (Hotel Mesra Samarinda)", "business"),
]

# name, regency code, district, village, business type, founded, members, whatsapp, story, colour
GROUPS = [
    (
        "UPPKS Mawar Sungai Kapih",
        "64.72",
        "Sambutan",
        "Sungai Kapih",
        "industri_rumah_tangga",
        2004,
        18,
        "081253001122",
        "Kelompok ibu-ibu peserta KB di tepi Sungai Mahakam yang membuat amplang ikan pipih sejak 2004.",
        (176, 96, 40),
    ),
    (
        "UPPKS Melati Manggar",
        "64.71",
        "Balikpapan Timur",
        "Manggar",
        "industri_rumah_tangga",
        2009,
        22,
        "081346002233",
        "Dari kampung nelayan Manggar: amplang, kerupuk dan abon dari ikan tangkapan suami-suami kami.",
        (200, 120, 50),
    ),
    (
        "UPPKS Sejahtera Tubei",
        "17.07",
        "Lebong Utara",
        "Tubei",
        "pertanian",
        2012,
        15,
        "085267003344",
        "Di kaki Bukit Barisan, kami menanam serai dan jahe lalu mengolahnya menjadi teh herbal.",
        (90, 140, 60),
    ),
    (
        "UPPKS Bunga Tanjung",
        "17.71",
        "Ratu Samban",
        "Pengantungan",
        "industri_rumah_tangga",
        2001,
        25,
        "081373004455",
        "Kue dan keripik khas Bengkulu dari dapur anggota kami di Kota Bengkulu.",
        (150, 60, 90),
    ),
    (
        "UPPKS Kusuma Dewi",
        "51.05",
        "Banjarangkan",
        "Tusan",
        "industri_rumah_tangga",
        1998,
        20,
        "081936005566",
        "Minyak kelapa tradisional (lengis tanusan) dan anyaman bambu dari Klungkung, Bali.",
        (40, 120, 130),
    ),
    (
        "UPPKS Purun Alabio",
        "63.08",
        "Amuntai Tengah",
        "Sungai Malang",
        "industri_rumah_tangga",
        2006,
        30,
        "081251006677",
        "Anyaman purun dan eceng gondok khas Amuntai, serta kue kering Banjar.",
        (120, 100, 60),
    ),
    (
        "UPPKS Sagu Tuna Sangihe",
        "71.03",
        "Tahuna",
        "Santiago",
        "industri_rumah_tangga",
        2010,
        16,
        "081340007788",
        "Abon ikan tuna dan kue sagu dari pulau Sangihe.",
        (60, 80, 150),
    ),
    (
        "UPPKS Lebah Madu Banjarbaru",
        "63.72",
        "Cempaka",
        "Bangkal",
        "peternakan",
        2015,
        12,
        "081349008899",
        "Kami beternak lebah kelulut dan membuat sabun madu propolis.",
        (210, 160, 40),
    ),
]

# group index, name, category, price, unit, net g, stock, min order, tiers, permits, description, ingredients, shelf life
P = [
    (
        0,
        "Amplang Ikan Pipih Original",
        "amplang",
        25000,
        "bungkus",
        200,
        120,
        1,
        [(10, 23000), (50, 21000)],
        [("pirt", "206647201002925", "verified"), ("halal", "ID64110000123450322", "verified")],
        "Amplang renyah dari ikan pipih segar Sungai Mahakam.",
        "Ikan pipih, tepung tapioka, telur, bawang putih, garam",
        180,
    ),
    (
        0,
        "Amplang Ikan Pipih Pedas",
        "amplang",
        27000,
        "bungkus",
        200,
        80,
        1,
        [(10, 25000)],
        [("pirt", "206647201003025", "submitted")],
        "Amplang dengan bumbu cabai.",
        "Ikan pipih, tapioka, cabai, telur",
        180,
    ),
    (
        0,
        "Kerupuk Ikan Belida",
        "keripik",
        30000,
        "bungkus",
        250,
        40,
        1,
        [],
        [],
        "Kerupuk ikan khas Samarinda.",
        "Ikan, tapioka",
        180,
    ),
    (
        0,
        "Amplang Udang",
        "amplang",
        32000,
        "toples",
        250,
        0,
        1,
        [],
        [("pirt", "206647201003125", "in_process")],
        "Amplang udang galah dalam toples.",
        "Udang, tapioka, telur",
        150,
    ),
    (
        0,
        "Amplang Ikan Tenggiri Toples",
        "amplang",
        45000,
        "toples",
        400,
        35,
        1,
        [(12, 41000)],
        [],
        "Amplang tenggiri untuk oleh-oleh.",
        "Ikan tenggiri, tapioka, telur",
        180,
    ),
    (
        1,
        "Amplang Manggar Original",
        "amplang",
        24000,
        "bungkus",
        200,
        200,
        1,
        [(20, 22000), (100, 20000)],
        [("pirt", "206647101002925", "verified")],
        "Amplang ikan belida khas Balikpapan.",
        "Ikan belida, tapioka, telur",
        180,
    ),
    (
        1,
        "Abon Ikan Tongkol",
        "abon",
        35000,
        "bungkus",
        100,
        60,
        1,
        [],
        [("halal", "ID64110000223450323", "submitted")],
        "Abon ikan tongkol gurih tanpa pengawet.",
        "Ikan tongkol, santan, gula merah, rempah",
        120,
    ),
    (
        1,
        "Kerupuk Amplang Kuku Macan",
        "amplang",
        22000,
        "bungkus",
        150,
        75,
        1,
        [],
        [],
        "Amplang bentuk kuku macan.",
        "Ikan, tapioka",
        180,
    ),
    (
        1,
        "Keripik Pisang Kepok Manis",
        "keripik",
        18000,
        "bungkus",
        200,
        90,
        1,
        [(20, 16000)],
        [],
        "Keripik pisang kepok dengan gula aren.",
        "Pisang kepok, gula aren, minyak kelapa",
        120,
    ),
    (
        1,
        "Abon Ikan Tenggiri Pedas",
        "abon",
        40000,
        "bungkus",
        100,
        30,
        1,
        [],
        [],
        "Abon tenggiri pedas.",
        "Ikan tenggiri, cabai, santan",
        120,
    ),
    (
        2,
        "Teh Serai Lebong",
        "teh-herbal",
        20000,
        "kotak",
        50,
        100,
        1,
        [(24, 18000)],
        [("pirt", "217070101004026", "verified")],
        "Teh serai kering dari kebun anggota di Lebong.",
        "Serai kering",
        365,
    ),
    (
        2,
        "Teh Serai Jahe Merah",
        "teh-herbal",
        25000,
        "kotak",
        60,
        70,
        1,
        [],
        [("pirt", "217070101004126", "submitted")],
        "Serai dan jahe merah, hangat untuk badan.",
        "Serai, jahe merah",
        365,
    ),
    (
        2,
        "Wedang Serai Gula Aren",
        "teh-herbal",
        22000,
        "bungkus",
        150,
        50,
        1,
        [],
        [],
        "Minuman serbuk serai.",
        "Serai, gula aren",
        270,
    ),
    (
        2,
        "Keripik Ubi Ungu Lebong",
        "keripik",
        15000,
        "bungkus",
        150,
        65,
        1,
        [],
        [],
        "Keripik ubi ungu renyah.",
        "Ubi ungu, minyak kelapa, garam",
        120,
    ),
    (
        2,
        "Kopi Robusta Lebong Bubuk",
        "teh-herbal",
        35000,
        "bungkus",
        200,
        40,
        1,
        [],
        [],
        "Kopi robusta dataran tinggi Lebong.",
        "Kopi robusta",
        365,
    ),
    (
        3,
        "Kue Bay Tat Bengkulu",
        "kue",
        45000,
        "kotak",
        400,
        25,
        1,
        [],
        [("pirt", "217710101005027", "verified")],
        "Kue tart nanas khas Bengkulu.",
        "Tepung terigu, nanas, telur, mentega",
        14,
    ),
    (
        3,
        "Keripik Pisang Manis Bengkulu",
        "keripik",
        17000,
        "bungkus",
        200,
        110,
        1,
        [(25, 15000)],
        [("pirt", "217710101005127", "verified")],
        "Keripik pisang manis renyah.",
        "Pisang, gula, minyak",
        120,
    ),
    (
        3,
        "Keripik Pisang Asin",
        "keripik",
        16000,
        "bungkus",
        200,
        85,
        1,
        [],
        [],
        "Keripik pisang gurih asin.",
        "Pisang, garam, minyak",
        120,
    ),
    (
        3,
        "Kue Lemang Tapai",
        "kue",
        30000,
        "kotak",
        500,
        12,
        1,
        [],
        [],
        "Lemang dengan tapai ketan hitam.",
        "Ketan, santan, tapai",
        3,
    ),
    (
        3,
        "Keripik Tempe Sagu",
        "keripik",
        14000,
        "bungkus",
        150,
        70,
        1,
        [],
        [("halal", "ID17110000323450324", "in_process")],
        "Keripik tempe tipis.",
        "Tempe, tepung sagu, bumbu",
        90,
    ),
    (
        4,
        "Minyak Kelapa Tradisional Tusan",
        "minyak-kelapa",
        50000,
        "botol",
        500,
        45,
        1,
        [(12, 45000)],
        [("pirt", "251050101006028", "verified"), ("halal", "ID51110000423450325", "verified")],
        "Lengis tanusan: minyak kelapa yang dimasak perlahan di atas tungku.",
        "Kelapa tua",
        365,
    ),
    (
        4,
        "Virgin Coconut Oil",
        "minyak-kelapa",
        75000,
        "botol",
        250,
        30,
        1,
        [],
        [("bpom_md", "MD 224251001234", "submitted")],
        "VCO proses dingin.",
        "Kelapa",
        540,
    ),
    (
        4,
        "Minyak Kelapa Kecil",
        "minyak-kelapa",
        28000,
        "botol",
        250,
        60,
        1,
        [],
        [("pirt", "251050101006128", "rejected")],
        "Minyak kelapa botol kecil.",
        "Kelapa",
        365,
    ),
    (
        4,
        "Anyaman Bambu Sokasi",
        "anyaman",
        120000,
        "buah",
        800,
        15,
        1,
        [(5, 110000)],
        [],
        "Sokasi bambu untuk persembahan dan wadah serbaguna.",
        None,
        None,
    ),
    (
        4,
        "Keben Anyaman Lontar",
        "anyaman",
        90000,
        "buah",
        500,
        20,
        1,
        [],
        [],
        "Keben kecil dari daun lontar.",
        None,
        None,
    ),
    (
        5,
        "Tas Anyaman Purun",
        "anyaman",
        85000,
        "buah",
        400,
        40,
        1,
        [(10, 75000)],
        [],
        "Tas belanja dari purun rawa Amuntai.",
        None,
        None,
    ),
    (
        5,
        "Tikar Purun Motif",
        "anyaman",
        150000,
        "lembar",
        2000,
        12,
        1,
        [],
        [],
        "Tikar purun dengan motif warna.",
        None,
        None,
    ),
    (5, "Topi Purun", "anyaman", 45000, "buah", 200, 30, 1, [], [], "Topi anyaman purun.", None, None),
    (
        5,
        "Kue Cincin Banjar",
        "kue",
        25000,
        "bungkus",
        250,
        50,
        1,
        [],
        [("pirt", "263080101007029", "verified")],
        "Kue cincin khas Banjar.",
        "Tepung beras, gula merah",
        30,
    ),
    (
        5,
        "Keripik Jamur Tiram",
        "keripik",
        20000,
        "bungkus",
        100,
        45,
        1,
        [],
        [],
        "Keripik jamur tiram gurih.",
        "Jamur tiram, tepung, bumbu",
        90,
    ),
    (5, "Tempat Tisu Eceng Gondok", "anyaman", 40000, "buah", 300, 25, 1, [], [], "Anyaman eceng gondok.", None, None),
    (
        6,
        "Abon Ikan Tuna Sangihe",
        "abon",
        45000,
        "bungkus",
        150,
        70,
        1,
        [(20, 41000)],
        [("pirt", "271030101008030", "verified"), ("halal", "ID71110000523450326", "verified")],
        "Abon dari tuna segar tangkapan nelayan Sangihe.",
        "Ikan tuna, santan, rempah",
        120,
    ),
    (
        6,
        "Abon Tuna Pedas",
        "abon",
        47000,
        "bungkus",
        150,
        50,
        1,
        [],
        [("pirt", "271030101008130", "verified")],
        "Abon tuna dengan cabai rawit.",
        "Tuna, cabai rawit, santan",
        120,
    ),
    (
        6,
        "Kue Sagu Bagea",
        "kue",
        20000,
        "bungkus",
        200,
        90,
        1,
        [(30, 17000)],
        [],
        "Bagea, kue sagu keras khas Sangihe.",
        "Sagu, kenari, gula",
        60,
    ),
    (6, "Kue Sagu Lempeng", "kue", 15000, "bungkus", 250, 100, 1, [], [], "Sagu lempeng untuk teman kopi.", "Sagu", 90),
    (
        6,
        "Abon Tuna Original Toples",
        "abon",
        80000,
        "toples",
        300,
        20,
        1,
        [],
        [],
        "Abon tuna toples besar.",
        "Tuna, santan",
        120,
    ),
    (
        7,
        "Sabun Madu Propolis",
        "sabun",
        25000,
        "batang",
        100,
        80,
        1,
        [(24, 22000)],
        [("bpom_na", "NA18201200123", "verified")],
        "Sabun mandi dari madu kelulut dan propolis.",
        "Minyak kelapa, madu, propolis, NaOH",
        730,
    ),
    (
        7,
        "Sabun Madu Serai",
        "sabun",
        25000,
        "batang",
        100,
        60,
        1,
        [],
        [("bpom_na", "NA18201200124", "submitted")],
        "Sabun madu dengan minyak serai.",
        "Minyak kelapa, madu, minyak serai",
        730,
    ),
    (
        7,
        "Sabun Propolis Arang",
        "sabun",
        28000,
        "batang",
        100,
        40,
        1,
        [],
        [],
        "Sabun propolis dan arang bambu.",
        "Minyak kelapa, propolis, arang",
        730,
    ),
    (
        7,
        "Madu Kelulut Murni",
        "teh-herbal",
        95000,
        "botol",
        250,
        25,
        1,
        [],
        [("pirt", "263720101009031", "verified")],
        "Madu kelulut murni dari stup anggota.",
        "Madu kelulut",
        730,
    ),
    (
        7,
        "Sabun Cair Madu",
        "sabun",
        35000,
        "botol",
        250,
        30,
        1,
        [],
        [],
        "Sabun cair lembut.",
        "Minyak kelapa, madu",
        540,
    ),
    (
        0,
        "Keripik Singkong Balado",
        "keripik",
        15000,
        "bungkus",
        200,
        100,
        1,
        [],
        [],
        "Keripik singkong pedas manis.",
        "Singkong, cabai",
        90,
    ),
    (
        2,
        "Teh Daun Kelor Serai",
        "teh-herbal",
        23000,
        "kotak",
        40,
        55,
        1,
        [],
        [],
        "Teh daun kelor dengan serai.",
        "Daun kelor, serai",
        365,
    ),
    (
        6,
        "Keripik Sukun Sangihe",
        "keripik",
        17000,
        "bungkus",
        150,
        50,
        1,
        [],
        [],
        "Keripik buah sukun.",
        "Sukun, minyak kelapa",
        90,
    ),
]


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
        users = {role: _user(email, name, role) for email, name, role in ACCOUNTS}
        admin, chair, member = users["admin"], users["chair"], users["member"]
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
                groups.add_member(chair, group.slug, member.email)
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
            # officers' decisions, as if they had been made
            for permit, (_t, _n, status) in zip(product.permits, permits, strict=True):
                if status in ("verified", "rejected", "in_process"):
                    permit.status = status
                if status != "in_process" and status != "submitted":
                    permit.decided_by_id, permit.decided_at = admin.id, utcnow()
                if status == "rejected":
                    permit.reason = "Nomor tidak ditemukan di database BPOM/Dinas Kesehatan."
            product.refresh_permit_validity()
            if photos:
                red, green, blue = (max(0, min(255, c + (hash(name) % 40) - 20)) for c in colour)
                add_photo(chair, product.id, placeholder_photo(name, (red, green, blue), (960, 720)))
        _business(users["business"], admin, made[0][0])
        _events(users["officer"], chair, made[0][0], made[1][0])
        _export(admin, chair)
        # one permit that has run out: it shows as expired on its own
        expired = db.session.scalars(select(Permit).where(Permit.number == "206647201002925")).first()
        if expired:
            expired.expires_on = today_wib() - timedelta(days=10)
            expired_product = db.session.get(Product, expired.product_id)
            assert expired_product is not None  # a foreign key: a permit goes with its product
            expired_product.refresh_permit_validity()
        db.session.commit()
        click.echo(f"Demo data: {len(GROUPS) + 1} groups, {len(P)} products.")
    click.echo(f"Demo accounts (password for all: {PASSWORD}):")
    for email, name, role in ACCOUNTS:
        click.echo(f"  {role:8} {email:36} {name}")


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
