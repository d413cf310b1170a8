"""Export-ready listings: a group marks a product export-ready once its category's permit is
valid and the details an importer needs are there; export-ready products get a badge, a filter, an
English page with an indicative USD price at the admin's rate, and a quote request in USD (FOB/CIF,
destination); officers count them."""

import re
from datetime import date, timedelta

import pytest

from app.core.timefmt import today_wib
from app.export.services import hs_code
from app.extensions import db
from app.officers import decisions as officers
from app.wholesale.models import QuoteRequest
from tests.support.factories import login, token
from tests.support.wholesale import verified_hotel

DETAILS = {
    "name_en": "Amplang fish crackers",
    "hs_code": "1905.90.90",
    "min_export_qty": "500",
    "description_en": "Crunchy fish crackers made by hand in Samarinda, 200 g pouch.",
    "pack_length_cm": "20",
    "pack_width_cm": "14",
    "pack_height_cm": "6",
}


@pytest.mark.parametrize(
    "raw, written",
    [
        ("1905.90", "1905.90"),
        ("190590", "1905.90"),
        ("1905.90.90", "1905.90.90"),
        ("19059090", "1905.90.90"),
        (" 4602.19 ", "4602.19"),
    ],
)
def test_hs_codes_in_their_two_lengths(raw, written):
    errors = {}
    assert hs_code(raw, errors) == written and not errors


@pytest.mark.parametrize(
    "raw", ["1905", "1905.9", "1905.90.9", "abcd.ef", "7700.10", "9901.10", "0012.34", "1905.90.90.10"]
)
def test_hs_codes_that_cannot_be(raw):
    errors = {}
    assert hs_code(raw, errors) is None and "hs_code" in errors


def _product(app, make):
    group = make.group(make.user("ketua@uji.example"), name="UPPKS Mawar")
    product = make.product(
        group,
        name="Amplang Pipih",
        price_idr=32500,
        shelf_life_days=180,
        permits=[
            {
                "type": "pirt",
                "number": "206647201002925",
                "issued_on": "2024-03-01",
                "expires_on": (today_wib() + timedelta(days=400)).isoformat(),
            }
        ],
    )
    page = app.test_client()
    login(page, "ketua@uji.example")
    return group, product, page


def test_a_group_marks_a_product_export_ready_only_when_it_is(app, client, make):
    group, product, page = _product(app, make)
    form = page.get(f"/products/{product.id}/export").get_data(as_text=True)
    assert "nama dalam bahasa Inggris" in form and "kode HS" in form and "izin edar" in form
    not_yet = page.post(f"/products/{product.id}/export", data=dict(DETAILS, ready="y"))
    html = not_yet.get_data(as_text=True)
    assert not_yet.status_code == 422 and "izin edar kategori ini" in html  # the P-IRT is not verified yet
    assert 'value="Amplang fish crackers"' in html  # what was typed stays
    bad_hs = page.post(f"/products/{product.id}/export", data=dict(DETAILS, hs_code="1905"))
    assert bad_hs.status_code == 422 and "Kode HS ditulis 6 atau 8 angka" in bad_hs.get_data(as_text=True)
    officers.decide_permit(make.admin(), product.permits[0].id, "verified")
    ready = page.post(f"/products/{product.id}/export", data=dict(DETAILS, ready="y"))
    assert ready.status_code == 302
    db.session.expire_all()
    assert product.export_ready and product.export_until == today_wib() + timedelta(days=400)
    # the badge and the filter, on the pages and in the API
    listing = client.get("/search?export=1").get_data(as_text=True)
    assert "Amplang Pipih" in listing and "Siap ekspor" in listing
    other = make.product(group, name="Keripik Pisang", category="keripik")
    assert "Keripik Pisang" not in client.get("/search?export=1").get_data(as_text=True)
    assert "Keripik Pisang" in client.get("/search").get_data(as_text=True)
    api = client.get("/api/v1/products?export_ready=true").json["items"]
    assert [(p["id"], p["export_ready"]) for p in api] == [(product.id, True)]
    assert other.id in [p["id"] for p in client.get("/api/v1/products").json["items"]]
    stats = client.get("/api/v1/stats", headers=token(client, make.admin().email)).json
    assert stats["export_ready_products"] == 1
    # the permit runs out: no longer export-ready anywhere, and the group is told why
    permit = product.permits[0]
    permit.expires_on = today_wib() - timedelta(days=1)
    product.refresh_permit_validity()
    db.session.commit()
    assert "Amplang Pipih" not in client.get("/search?export=1").get_data(as_text=True)
    assert client.get(f"/export/p/{product.id}").status_code == 404
    assert "tidak lagi berlaku" in page.get(f"/products/{product.id}/export").get_data(as_text=True)
    assert client.get("/api/v1/stats", headers=token(client, make.admin().email)).json["export_ready_products"] == 0


def test_crafts_need_no_permit_but_everything_else(app, make):
    group = make.group(make.user("ketua.purun@uji.example"), name="UPPKS Purun")
    bag = make.product(group, name="Tas Anyaman Purun", category="anyaman", price_idr=85000)
    page = app.test_client()
    login(page, "ketua.purun@uji.example")
    half = page.post(f"/products/{bag.id}/export", data={"name_en": "Purun tote bag", "ready": "y"})
    assert half.status_code == 422
    text = re.search(r'<ul id="missing">(.*?)</ul>', half.get_data(as_text=True), re.S).group(1)
    assert "kode HS" in text and "ukuran kemasan" in text and "izin edar" not in text and "masa simpan" not in text
    done = page.post(
        f"/products/{bag.id}/export", data=dict(DETAILS, name_en="Purun tote bag", hs_code="4602.19", ready="y")
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert bag.export_until == date.max


def _ready(app, make):
    group, product, page = _product(app, make)
    officers.decide_permit(make.admin(), product.permits[0].id, "verified")
    assert page.post(f"/products/{product.id}/export", data=dict(DETAILS, ready="y")).status_code == 302
    return group, product


def test_the_admin_sets_the_dollar_rate_and_the_english_page_shows_usd(app, client, make):
    group, product = _ready(app, make)
    english = client.get(f"/export/p/{product.id}").get_data(as_text=True)
    assert '<html lang="en">' in english and "Amplang fish crackers" in english and "1905.90.90" in english
    assert "US$" not in english  # no rate yet: rupiah only
    admin = make.admin()
    page = app.test_client()
    login(page, admin.email)
    future = page.post(
        "/admin/usd-rate",
        data={"idr_per_usd": "16250", "rate_date": (today_wib() + timedelta(days=1)).isoformat()},
        follow_redirects=True,
    )
    assert "tidak boleh di masa depan" in future.get_data(as_text=True)
    assert (
        page.post(
            "/admin/usd-rate", data={"idr_per_usd": "16.250", "rate_date": today_wib().isoformat(), "source": "JISDOR"}
        ).status_code
        == 302
    )
    make.user("pembeli@uji.example")
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    assert buyer.get("/admin/usd-rate").status_code == 403
    english = client.get(f"/export/p/{product.id}?lang=id").get_data(as_text=True)
    assert "Indicative price: US$2.00 per pack" in english  # 32,500 / 16,250
    assert "IDR 32,500; rate IDR 16,250 per US$1" in english  # the numbers an importer reads
    assert re.search(r"Minimum export quantity</th><td>500 packs<", english)
    assert "Sign in as a verified business buyer" in english


def test_an_importer_asks_for_an_export_quote(app, client, make):
    group, product = _ready(app, make)
    from app.export.services import set_rate

    set_rate(make.admin(), 16250, today_wib(), None)
    staff, _auth, _org = verified_hotel(client, make)
    page = app.test_client()
    login(page, staff.email)
    english = page.get(f"/export/p/{product.id}").get_data(as_text=True)
    assert 'name="incoterm"' in english and '<option value="MY">Malaysia</option>' in english
    assert 'value="500"' in english  # the minimum export quantity to start with
    form = {
        "quantity": "100",
        "incoterm": "CIF",
        "destination_country": "MY",
        "destination_port": "",
        "needed_by": (today_wib() + timedelta(days=30)).isoformat(),
        "description": "Private label, 2 pallets",
    }
    refused = page.post(f"/export/p/{product.id}/quote", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Minimum export 500 pack" in html and "Private label, 2 pallets" in html
    assert "Required" in html  # CIF names the port of destination
    assert db.session.scalar(db.select(db.func.count(QuoteRequest.id))) == 0
    sent = page.post(f"/export/p/{product.id}/quote", data=dict(form, quantity="600", destination_port="Port Klang"))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    quote = db.session.scalars(db.select(QuoteRequest)).one()
    assert (quote.currency, quote.incoterm, quote.destination_country, quote.destination_port, quote.idr_per_usd) == (
        "USD",
        "CIF",
        "MY",
        "Port Klang",
        16250,
    )
    assert quote.delivery_regency_code == group.regency_code and quote.product_id == product.id
    chair = app.test_client()
    login(chair, "ketua@uji.example")
    seen = chair.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert re.search(r"CIF ke Malaysia, Port Klang", seen) and "Rp16.250 per US$1" in seen
    # someone without a verified business cannot ask
    make.user("warga@uji.example")
    plain = app.test_client()
    login(plain, "warga@uji.example")
    assert (
        plain.post(
            f"/export/p/{product.id}/quote", data=dict(form, quantity="600", destination_port="Port Klang")
        ).status_code
        == 403
    )


def test_export_quotes_through_the_api(app, client, make):
    group, product = _ready(app, make)
    _staff, auth, _org = verified_hotel(client, make)
    body = {
        "product_id": product.id,
        "description": "Private label",
        "quantity": 600,
        "export": True,
        "incoterm": "FOB",
        "destination_country": "SG",
        "needed_by": (today_wib() + timedelta(days=30)).isoformat(),
    }
    no_rate = client.post("/api/v1/quotes", headers=auth, json=body)
    assert no_rate.status_code == 422 and "incoterm" in no_rate.json["errors"]  # no dollar rate set yet
    from app.export.services import set_rate

    set_rate(make.admin(), 16000, today_wib(), None)
    assert client.post("/api/v1/quotes", headers=auth, json=dict(body, destination_country="ID")).status_code == 422
    made = client.post("/api/v1/quotes", headers=auth, json=body)
    assert made.status_code == 201, made.json
    assert (
        made.json["currency"],
        made.json["incoterm"],
        made.json["destination_country"],
        made.json["idr_per_usd"],
    ) == ("USD", "FOB", "SG", 16000)
    assert made.json["delivery_regency"] == group.regency_code
    other = make.product(group, name="Keripik Pisang", category="keripik")
    not_ready = client.post("/api/v1/quotes", headers=auth, json=dict(body, product_id=other.id))
    assert not_ready.status_code == 422 and "belum siap ekspor" in str(not_ready.json["errors"])
    domestic = client.post(
        "/api/v1/quotes",
        headers=auth,
        json={
            "product_id": other.id,
            "description": "Untuk hotel",
            "quantity": 50,
            "needed_by": (today_wib() + timedelta(days=30)).isoformat(),
            "delivery_regency": "64.72",
        },
    )
    assert domestic.status_code == 201 and domestic.json["currency"] == "IDR" and domestic.json["incoterm"] is None


@pytest.mark.parametrize(
    "idr, rate, shown",
    [
        (32500, 16250, "2.00"),
        (24000, 16250, "1.48"),
        (8125, 16250, "0.50"),
        (8044, 16250, "0.50"),
        (8043, 16250, "0.49"),
        (123456789, 16250, "7,597.34"),
    ],
)
def test_rupiah_in_dollars_to_the_cent_half_up(idr, rate, shown):
    from app.export.services import usd

    assert usd(idr, rate) == shown
