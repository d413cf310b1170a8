"""A group's home: a member who signs in lands on it and sees what needs doing now, counted, each a big
target that opens the page where it is done; then the way to everything else."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core.timefmt import today_wib
from app.events import publishing
from app.extensions import db
from app.groups import services as groups
from app.officers.decisions import decide_permit
from app.orders.models import Checkout, Order
from app.payments import transfers
from app.wholesale import offers, quotes
from tests.support import ARTIFACTS
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import PASSWORD, jpeg, login, token
from tests.support.wholesale import soon, verified_hotel

MEMBER = "anggota.smd@uji.example"


def _transfer(client, auth, product, quantity: int) -> Checkout:
    """A buyer's checkout paid by transfer to the group's own account, its proof uploaded."""
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, quantity)]))
    assert placed.status_code == 201, placed.get_data(as_text=True)
    checkout = db.session.get(Checkout, placed.json["id"])
    sent = client.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    return checkout


def _quote(staff, quantity: int = 40):
    return quotes.create_quote(
        staff,
        {
            "category": "amplang",
            "description": "Amplang untuk tamu hotel",
            "quantity": quantity,
            "needed_by": soon(14),
            "delivery_regency": "64.72",
        },
    )


def _offer(chair, quote, amplang, valid_days: int):
    return offers.make_offer(
        chair,
        quote.id,
        {
            "product_id": amplang.id,
            "unit_price_idr": 22000,
            "quantity": 5,
            "lead_time_days": 2,
            "valid_until": soon(valid_days),
        },
    )


def busy_group(app, client, make) -> dict:
    """UPPKS Mawar (Samarinda) as the demo has it: a member; a paid order and a hotel's invoiced order to
    ship, a transfer proof to check, a price request to answer, an offer ending tomorrow, a permit ending in
    three weeks, a product out of stock and without a photo, an invitation not yet accepted, a bazaar open to
    the province."""
    mawar, _bengkulu, amplang, _keripik = two_groups(make)
    chair = make.chair_of(mawar)
    make.user(MEMBER, name="Ibu Rina")
    groups.add_member(chair, mawar.slug, MEMBER)
    groups.update_payout(chair, mawar.slug, "BRI", "0123456789", "UPPKS Mawar")
    make.photo(amplang)
    sagu = make.product(
        mawar,
        name="Kue Sagu Keju",
        category="kue",
        stock=30,
        permits=[{"type": "pirt", "number": "206647201002925", "issued_on": "2021-11-14", "expires_on": "2030-11-14"}],
    )
    make.photo(sagu)
    decide_permit(make.admin(), sagu.permits[0].id, "verified")
    sagu.permits[0].expires_on = today_wib() + timedelta(days=21)
    empty = make.product(mawar, name="Keripik Pisang Kepok", category="keripik", stock=0)
    db.session.commit()

    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    paid = _transfer(client, auth, amplang, 2)
    transfers.confirm_transfer(chair, paid.id)
    waiting = _transfer(client, auth, amplang, 1)

    staff, _auth, _org = verified_hotel(client, make)
    invoiced = _quote(staff)
    offers.accept_offers(staff, invoiced.id, [_offer(chair, invoiced, amplang, 7).id])
    to_answer = _quote(staff, 60)
    lapsing = _quote(staff, 80)
    _offer(chair, lapsing, amplang, 1)

    groups.invite_member(chair, mawar.slug, "adik@uji.example", "member", lambda t: f"http://localhost/invitations/{t}")
    officer = make.user("petugas@uji.example", role="officer", province="64")
    start = today_wib() + timedelta(days=5)
    publishing.publish(
        officer,
        {
            "name": "Bazar UPPKS Harganas",
            "kind": "bazar",
            "regency": "64.72",
            "open_to": "provinsi",
            "address": "GOR Segiri, Samarinda",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=2)).isoformat(),
        },
    )
    db.session.expire_all()
    orders = {o.checkout_id: o for o in db.session.scalars(db.select(Order).where(Order.group_id == mawar.id))}
    return {
        "group": mawar,
        "sagu": sagu,
        "empty": empty,
        "paid": orders[paid.id],
        "waiting": orders[waiting.id],
        "invoiced": orders[invoiced.checkout_id],
        "to_answer": to_answer,
        "lapsing": lapsing,
    }


def _todo(html: str) -> dict[str, tuple[int, str]]:
    """What the page lists under "Perlu dikerjakan": kind -> (count, link)."""
    found = re.findall(r'<a href="([^"]+)" id="todo-([a-z_]+)"><strong class="todo-count">(\d+)</strong>', html)
    return {kind: (int(count), href.replace("&amp;", "&")) for href, kind, count in found}


def test_the_chair_signs_in_lands_on_her_groups_home_and_each_count_opens_its_page(app, client, make):
    data = busy_group(app, client, make)
    slug = data["group"].slug
    signed_in = login(client, "ketua.smd@uji.example")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == f"/groups/{slug}"
    html = client.get(f"/groups/{slug}").get_data(as_text=True)
    assert "Perlu dikerjakan" in html and f'href="/groups/{slug}">Kelompok saya</a>' in html
    assert _todo(html) == {
        "orders": (2, f"/groups/{slug}/orders?status=to_ship"),
        "proofs": (1, f"/groups/{slug}/orders?status=pending_payment#transfer-{data['waiting'].id}"),
        "quotes": (1, f"/quotes/{data['to_answer'].id}"),
        "offers": (1, f"/quotes/{data['lapsing'].id}"),
        "permits": (1, f"/products/{data['sagu'].id}/edit"),
        "out_of_stock": (1, f"/products/{data['empty'].id}/edit"),
        "no_photo": (1, f"/products/{data['empty'].id}/edit#photos"),
        "invitations": (1, f"/groups/{slug}/manage"),
        "events": (1, f"/groups/{slug}/events"),
    }
    # the most urgent first: buyers waiting, then the catalogue, then the rest
    assert list(_todo(html)) == [
        "orders",
        "proofs",
        "quotes",
        "offers",
        "permits",
        "out_of_stock",
        "no_photo",
        "invitations",
        "events",
    ]
    pages = {kind: client.get(href).get_data(as_text=True) for kind, (_n, href) in _todo(html).items()}
    ship = pages["orders"]
    assert data["paid"].number in ship and data["invoiced"].number in ship and data["waiting"].number not in ship
    assert "Ditagih dengan invoice" in ship
    assert f'id="transfer-{data["waiting"].id}"' in pages["proofs"] and "Dana sudah masuk" in pages["proofs"]
    assert "Kirim penawaran" in pages["quotes"] and data["to_answer"].number in pages["quotes"]
    assert data["lapsing"].number in pages["offers"]
    assert "206647201002925" in pages["permits"] and "Kue Sagu Keju" in pages["permits"]
    assert "Keripik Pisang Kepok" in pages["out_of_stock"] and 'id="photos"' in pages["no_photo"]
    assert "Ibu Rina" in pages["invitations"]  # the members' list, where the chair invites again
    assert "Bazar UPPKS Harganas" in pages["events"] and "Daftar ikut acara" in pages["events"]


def test_the_rest_of_the_home_leads_to_every_page_of_the_group(app, client, make):
    data = busy_group(app, client, make)
    slug = data["group"].slug
    login(client, MEMBER)
    html = client.get(f"/groups/{slug}").get_data(as_text=True)
    rest = dict(re.findall(r'<a (?:class="primary" )?href="([^"]+)" id="go-([a-z-]+)">', html))
    assert {v: k for k, v in rest.items()} == {
        "new-product": f"/groups/{slug}/products/new",
        "products": f"/groups/{slug}/manage#products",
        "orders": f"/groups/{slug}/orders",
        "sales": f"/groups/{slug}/sales",
        "statements": f"/groups/{slug}/statements",
        "events": f"/groups/{slug}/events",
        "quotes": f"/groups/{slug}/quotes",
        "settings": f"/groups/{slug}/manage",
        "public": f"/g/{slug}",
    }
    assert html.index('id="go-new-product"') < html.index('id="go-products"')  # adding a product comes first
    for href in rest:
        assert client.get(href).status_code == 200, href
    # the group's pages lead back home
    for page in ("orders", "quotes", "events", "sales", "statements", "manage"):
        assert f'href="/groups/{slug}">' in client.get(f"/groups/{slug}/{page}").get_data(as_text=True), page


def test_with_nothing_to_do_the_home_says_so_kindly(app, client, make):
    chair = make.user("ketua@uji.example", name="Ibu Siti")
    group = make.group(chair, name="UPPKS Melati")
    make.photo(make.product(group, stock=20))
    login(client, "ketua@uji.example")
    html = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert _todo(html) == {}
    assert "Tidak ada yang perlu dikerjakan sekarang. Semua beres, terima kasih!" in html
    english = client.get(f"/groups/{group.slug}?lang=en").get_data(as_text=True)
    assert "Nothing needs doing right now" in english and "Statement for the bank" in english


def test_only_members_and_admins_see_a_groups_home(app, client, make):
    group = make.group(name="UPPKS Mawar")
    assert client.get(f"/groups/{group.slug}").status_code == 302  # to sign in
    make.user("tetangga@uji.example")
    login(client, "tetangga@uji.example")
    assert client.get(f"/groups/{group.slug}").status_code == 404
    assert client.get("/groups/tidak-ada").status_code == 404
    admin = app.test_client()
    login(admin, make.admin().email)
    assert admin.get(f"/groups/{group.slug}").status_code == 200


def test_where_each_person_lands_after_signing_in(app, client, make):
    chair = make.user("ketua@uji.example")
    mawar = make.group(chair, name="UPPKS Mawar")
    melati = make.group(make.user("ketua.melati@uji.example"), name="UPPKS Melati")
    groups.add_member(make.chair_of(melati), melati.slug, "ketua@uji.example")
    make.user("pembeli@uji.example")
    make.user("petugas@uji.example", role="officer", province="64")

    # a member of two groups lands on the home of the first she joined, and switches from there
    assert login(client, "ketua@uji.example").headers["Location"] == f"/groups/{mawar.slug}"
    home = client.get(f"/groups/{mawar.slug}").get_data(as_text=True)
    assert f'href="/groups/{mawar.slug}">Kelompok saya</a>' in home
    switch = home[home.index('<details class="switch">') : home.index("</details>")]
    assert "Ganti kelompok (1)" in switch and f'href="/groups/{melati.slug}">UPPKS Melati</a>' in switch
    assert mawar.slug not in switch
    assert f'href="/groups/{mawar.slug}">UPPKS Mawar</a>' in client.get(f"/groups/{melati.slug}").get_data(as_text=True)
    one_group = app.test_client()
    login(one_group, "ketua.melati@uji.example")
    assert '<details class="switch">' not in one_group.get(f"/groups/{melati.slug}").get_data(as_text=True)
    # a page asked for still wins
    other = app.test_client()
    answer = other.post("/login?next=/orders", data={"email": "ketua@uji.example", "password": PASSWORD})
    assert answer.headers["Location"] == "/orders"
    # buyers and officers as before
    assert login(app.test_client(), "pembeli@uji.example").headers["Location"] == "/"
    assert login(app.test_client(), "petugas@uji.example").headers["Location"] == "/officer/queue"
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    assert "Kelompok saya" not in buyer.get("/").get_data(as_text=True)


@pytest.mark.sqlite_only
def test_a_member_on_a_360px_phone_lands_on_home_and_taps_her_orders(backend, app, client, make, live_server, browser):
    data = busy_group(app, client, make)
    slug = data["group"].slug
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", MEMBER)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/groups/{slug}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    main_width = page.evaluate("document.querySelector('main ul.todo').getBoundingClientRect().width")
    for target in page.locator("main ul.todo a, main ul.tiles a").all():
        box = target.bounding_box()
        assert box["height"] >= 48 and box["width"] >= main_width - 1, (target.inner_text(), box)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "group-home-360.png"), full_page=True)
    page.click("#todo-orders")
    page.wait_for_url(re.compile(r".*/orders\?status=to_ship$"))
    assert data["invoiced"].number in page.inner_text("main")


def test_each_member_is_asked_only_what_her_role_may_do(app, client, make):
    data = busy_group(app, client, make)
    slug = data["group"].slug
    login(client, MEMBER)  # a plain member: no transfers to confirm, no invitations to chase
    html = client.get(f"/groups/{slug}").get_data(as_text=True)
    assert "proofs" not in _todo(html) and "invitations" not in _todo(html) and "orders" in _todo(html)
    assert "Anda anggota kelompok ini" in html
    client.post("/logout")
    groups.set_role(
        make.chair_of(data["group"]),
        slug,
        db.session.scalar(db.select(User.id).where(User.email == MEMBER)),
        "treasurer",
    )
    login(client, MEMBER)  # now the treasurer: transfers are hers to confirm
    html = client.get(f"/groups/{slug}").get_data(as_text=True)
    assert _todo(html)["proofs"][0] == 1 and "invitations" not in _todo(html)
    assert "Anda bendahara kelompok ini" in html
