"""A product whose required permit has lapsed is not for sale (PerBPOM 8/2020: processed food sold
online needs a valid permit): not into a cart, not through the API, not offered to a business buyer;
its page says why and its group sees what to renew."""

from datetime import timedelta

from app.core.timefmt import today_wib
from app.extensions import db
from app.officers.decisions import decide_permit
from tests.support.buying import checkout_body
from tests.support.factories import login, token


def _lapsed_amplang(make):
    group = make.group(name="UPPKS Mawar")
    ends = today_wib() - timedelta(days=10)
    product = make.product(
        group,
        name="Amplang Pipih",
        stock=50,
        permits=[
            {"type": "pirt", "number": "206647201002925", "issued_on": "2021-11-14", "expires_on": "2030-11-14"},
            {"type": "halal", "number": "ID64110000123450322"},
        ],
    )
    decide_permit(make.admin(), product.permits[0].id, "verified")
    product.permits[0].expires_on = ends  # the P-IRT ran out ten days ago
    db.session.commit()
    return group, product, ends


def test_a_product_with_a_lapsed_permit_cannot_be_bought(app, client, make):
    group, product, ends = _lapsed_amplang(make)
    page = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    assert "Belum bisa dibeli: SPP-IRT (P-IRT) produk ini berakhir" in page
    assert "Tambah ke keranjang" not in page and "Minta penawaran" not in page
    assert "Kedaluwarsa" in page and "berlaku sampai" not in page  # no "expired, valid until" contradiction
    added = client.post("/cart/add", data={"product_id": product.id, "quantity": 2}, follow_redirects=True)
    assert "belum bisa dibeli" in added.get_data(as_text=True) and "Amplang Pipih" not in client.get("/cart").get_data(
        as_text=True
    )
    make.user("pembeli@uji.example")
    answer = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(product.id, 2)])
    )
    assert answer.status_code == 422 and "P-IRT" in answer.json["errors"]["items.0.product_id"][0]
    # its group is told what to renew
    chair = app.test_client()
    login(chair, make.chair_of(group).email)
    manage = chair.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert "Tidak bisa dibeli: perbarui SPP-IRT (P-IRT) 206647201002925" in manage
    # renewed and verified again: for sale
    product.permits[0].expires_on = today_wib() + timedelta(days=365)
    product.permits[0].status = "submitted"
    db.session.commit()
    decide_permit(make.admin(), product.permits[0].id, "verified")
    assert "Tambah ke keranjang" in client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)


def test_a_long_date_in_each_language(client, make):
    _group, product, ends = _lapsed_amplang(make)
    months_id = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    page = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    assert f"berakhir {ends.day} {months_id[ends.month - 1]} {ends.year}" in page
    english = client.get(f"/p/{product.id}/{product.slug}?lang=en").get_data(as_text=True)
    assert f"{ends:%B} {ends.day}, {ends.year}" in english


def test_a_product_with_a_lapsed_permit_is_not_offered(app, client, make):
    from tests.support.wholesale import soon, verified_hotel

    group, product, _ends = _lapsed_amplang(make)
    _staff, hotel, _org = verified_hotel(client, make)
    quote = client.post(
        "/api/v1/quotes",
        headers=hotel,
        json={
            "category": "amplang",
            "description": "Amplang untuk kamar",
            "quantity": 40,
            "needed_by": soon(),
            "delivery_regency": "64.72",
        },
    )
    assert quote.status_code == 201
    chair = token(client, make.chair_of(group).email)
    offer = client.post(
        f"/api/v1/quotes/{quote.json['id']}/offers",
        headers=chair,
        json={
            "product_id": product.id,
            "unit_price_idr": 23000,
            "quantity": 40,
            "lead_time_days": 3,
            "valid_until": soon(7),
        },
    )
    assert offer.status_code == 422 and "belum bisa dibeli" in offer.json["errors"]["product_id"][0]


def test_search_marks_a_product_that_cannot_be_bought_and_lists_it_after_those_that_can(client, make):
    sold_elsewhere = make.group(name="UPPKS Melati", regency="17.71")
    make.product(sold_elsewhere, name="Amplang Pipih", stock=40)  # needs no permit it lacks: for sale
    _lapsed_amplang(make)  # the same name, newer: on a tie it would come first
    html = client.get("/search?q=amplang+pipih").get_data(as_text=True)
    cards = html.split('<article class="card">')[1:]
    assert len(cards) == 2
    assert "UPPKS Melati" in cards[0] and "Belum bisa dibeli" not in cards[0]
    assert "UPPKS Mawar" in cards[1] and "Belum bisa dibeli" in cards[1]
    newest = client.get("/search?q=amplang+pipih&sort=newest").get_data(as_text=True)
    assert newest.count("Belum bisa dibeli") == 1  # any order: the card says it
