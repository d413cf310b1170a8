"""Bazaars and exhibitions: officers publish for their area, groups apply and are accepted,
buyers reserve for pick-up at the stand (paid online or there), groups book what they sold at the
event, and the officer sees the event's figures; the province's page and a calendar feed list them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from app.core.timefmt import today_wib
from app.events.models import Event
from app.extensions import db
from app.orders.models import Checkout, Order
from app.orders.status import mark_paid
from tests.support.buying import checkout_body, stock_of
from tests.support.factories import login, token
from tests.support.wholesale import verified_hotel

FORM = {
    "name": "Budi Santoso",
    "ship_phone": "081234500000",
    "street": "Jl. Pahlawan No. 5",
    "village": "Sidodadi",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "postal_code": "75123",
}


def _event_form(**extra):
    start = today_wib() + timedelta(days=5)
    return {
        "name": "Bazar UPPKS Harganas",
        "kind": "bazar",
        "regency": "64.72",
        "open_to": "provinsi",
        "address": "GOR Segiri, Samarinda",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=2)).isoformat(),
        **extra,
    }


def _officer(app, make, province="64"):
    make.user("petugas@uji.example", role="officer", province=province)
    page = app.test_client()
    login(page, "petugas@uji.example")
    return page


def _published(app, make):
    officer = _officer(app, make)
    made = officer.post("/officer/events/new", data=_event_form())
    assert made.status_code == 302, made.get_data(as_text=True)
    return officer, db.session.scalars(db.select(Event)).one()


def test_an_officer_publishes_within_scope_and_bad_dates_keep_what_was_typed(app, make):
    officer = _officer(app, make)
    form = officer.get("/officer/events/new").get_data(as_text=True)
    assert "Samarinda" in form and "Denpasar" not in form.replace("Kota Denpasar", "x")  # only Kaltim offered
    backwards = officer.post(
        "/officer/events/new", data=_event_form(ends_on=today_wib().isoformat(), name="Pameran Kriya Mahakam")
    )
    html = backwards.get_data(as_text=True)
    assert backwards.status_code == 422 and "tidak boleh sebelum tanggal mulai" in html
    assert 'value="Pameran Kriya Mahakam"' in html and 'value="GOR Segiri, Samarinda"' in html
    bali = officer.post("/officer/events/new", data=_event_form(regency="51.05"))
    assert bali.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert officer.post("/officer/events/new", data=_event_form()).status_code == 302
    event = db.session.scalars(db.select(Event)).one()
    assert (event.province_code, event.regency_code, event.kind) == ("64", "64.72", "bazar")
    listing = officer.get("/officer/events").get_data(as_text=True)
    assert "Bazar UPPKS Harganas" in listing and "Akan datang" in listing
    # a buyer cannot publish; another province's officer cannot manage it
    make.user("petugas.bali@uji.example", role="officer", province="51")
    bali_officer = app.test_client()
    login(bali_officer, "petugas.bali@uji.example")
    assert bali_officer.get(f"/officer/events/{event.slug}").status_code == 403
    make.user("pembeli@uji.example")
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    assert buyer.post("/officer/events/new", data=_event_form()).status_code == 403


def test_groups_apply_the_officer_decides_and_the_event_page_shows_the_stands(app, client, make):
    officer, event = _published(app, make)
    mawar = make.group(make.user("ketua.mawar@uji.example"), name="UPPKS Mawar", regency="64.72")
    make.product(mawar, name="Amplang Pipih")
    bali = make.group(make.user("ketua.bali@uji.example"), name="UPPKS Kusuma Dewi", regency="51.05")
    chair = app.test_client()
    login(chair, "ketua.mawar@uji.example")
    listed = chair.get(f"/groups/{mawar.slug}/events").get_data(as_text=True)
    assert "Bazar UPPKS Harganas" in listed
    assert chair.post(f"/acara/{event.slug}/apply", data={"group": mawar.slug, "note": "amplang"}).status_code == 302
    again = chair.post(f"/acara/{event.slug}/apply", data={"group": mawar.slug}, follow_redirects=True)
    assert "sudah mendaftar" in again.get_data(as_text=True)
    balinese = app.test_client()
    login(balinese, "ketua.bali@uji.example")
    assert "Bazar UPPKS Harganas" not in balinese.get(f"/groups/{bali.slug}/events").get_data(as_text=True)
    assert balinese.post(f"/acara/{event.slug}/apply", data={"group": bali.slug}).status_code == 403  # Kaltim only
    page = client.get(f"/acara/{event.slug}").get_data(as_text=True)
    assert "Belum ada kelompok yang diterima" in page  # applied is not yet taking part
    manage = officer.get(f"/officer/events/{event.slug}").get_data(as_text=True)
    assert "UPPKS Mawar" in manage and "Menunggu keputusan" in manage and "amplang" in manage
    no_reason = officer.post(
        f"/officer/events/{event.slug}/decide",
        data={"group_id": mawar.id, "decision": "declined"},
        follow_redirects=True,
    )
    assert "Tuliskan alasannya untuk kelompok" in no_reason.get_data(
        as_text=True
    ) or "Wajib diisi" in no_reason.get_data(as_text=True)
    assert "Menunggu keputusan" in officer.get(f"/officer/events/{event.slug}").get_data(as_text=True)
    officer.post(f"/officer/events/{event.slug}/decide", data={"group_id": mawar.id, "decision": "accepted"})
    page = client.get(f"/acara/{event.slug}").get_data(as_text=True)
    assert "UPPKS Mawar" in page and "Amplang Pipih" in page
    assert "Diterima" in chair.get(f"/groups/{mawar.slug}/events").get_data(as_text=True)
    api = client.get(f"/api/v1/events/{event.slug}").json
    assert api["stands"][0]["group"]["slug"] == mawar.slug and len(api["stands"][0]["product_ids"]) == 1
    assert [e["slug"] for e in client.get("/api/v1/events?province=64").json["items"]] == [event.slug]
    assert client.get("/api/v1/events?province=51").json["items"] == []
    assert client.get("/api/v1/events?province=99").status_code == 422


def test_the_province_page_and_the_calendar_list_events_and_cancelled_ones_say_so(app, client, make):
    officer, event = _published(app, make)
    province = client.get("/provinsi/64").get_data(as_text=True)
    assert "Bazar UPPKS Harganas" in province and "Kalimantan Timur" in province
    assert "Bazar UPPKS Harganas" not in client.get("/provinsi/51").get_data(as_text=True)
    assert client.get("/provinsi/99").status_code == 404
    feed = client.get("/acara.ics?province=64")
    assert feed.mimetype == "text/calendar"
    (item,) = Calendar.from_ical(feed.data).walk("VEVENT")
    assert str(item["summary"]) == "Bazar: Bazar UPPKS Harganas"
    assert item["dtstart"].dt == event.starts_on and item["dtend"].dt == event.ends_on + timedelta(days=1)
    assert "GOR Segiri" in str(item["location"]) and str(item["status"]) == "CONFIRMED"
    officer.post(f"/officer/events/{event.slug}/cancel")
    (item,) = Calendar.from_ical(client.get("/acara.ics").data).walk("VEVENT")
    assert str(item["status"]) == "CANCELLED"
    assert "Bazar UPPKS Harganas" not in client.get("/acara").get_data(as_text=True)
    assert "dibatalkan" in client.get(f"/acara/{event.slug}").get_data(as_text=True)


def _accepted(app, make):
    officer, event = _published(app, make)
    mawar = make.group(make.user("ketua.mawar@uji.example"), name="UPPKS Mawar", regency="64.72")
    amplang = make.product(mawar, name="Amplang Pipih", price_idr=25000, stock=50)
    chair = app.test_client()
    login(chair, "ketua.mawar@uji.example")
    chair.post(f"/acara/{event.slug}/apply", data={"group": mawar.slug})
    officer.post(f"/officer/events/{event.slug}/decide", data={"group_id": mawar.id, "decision": "accepted"})
    return officer, event, mawar, amplang, chair


def test_a_buyer_reserves_for_pick_up_and_pays_at_the_stand(app, client, make):
    officer, event, mawar, amplang, chair = _accepted(app, make)
    other = make.group(make.user("ketua.lain@uji.example"), name="UPPKS Lain", regency="64.71")
    keripik = make.product(other, name="Keripik Pisang", price_idr=17000)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "4"})
    page = client.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    choice = f'value="event:{event.id}"'
    assert choice in page and "Ambil di acara: Bazar UPPKS Harganas" in page and 'value="at_stand"' in page
    total = int(re.search(r'name="shown_total" value="(\d+)"', page).group(1))
    # paying at the stand needs the pick-up there: with the courier it is refused, and nothing is lost
    refused = client.post(
        "/checkout",
        data=dict(
            FORM,
            action="place",
            payment_method="at_stand",
            shown_total=total,
            email="tamu@uji.example",
            phone="081299990000",
        ),
    )
    assert refused.status_code == 422 and "Bayar di stan hanya untuk" in refused.get_data(as_text=True)
    page = client.post("/checkout", data=dict(FORM, action="quote", **{f"ship-{mawar.slug}": f"event:{event.id}"}))
    html = page.get_data(as_text=True)
    total = int(re.search(r'name="shown_total" value="(\d+)"', html).group(1))
    assert total == 100000  # no shipping for a pick-up
    placed = client.post(
        "/checkout",
        data=dict(
            FORM,
            action="place",
            payment_method="at_stand",
            shown_total=total,
            email="tamu@uji.example",
            phone="081299990000",
            **{f"ship-{mawar.slug}": f"event:{event.id}"},
        ),
    )
    assert placed.status_code == 302, placed.get_data(as_text=True)
    checkout = db.session.scalars(db.select(Checkout)).one()
    order = checkout.orders[0]
    assert (order.shipping_method, order.pickup_event_id, order.shipping_idr) == ("event", event.id, 0)
    assert "GOR Segiri" in order.pickup_place and stock_of(amplang) == 46
    # held until the end of the event's last day in Samarinda (WITA), not the usual few hours
    last = datetime.combine(event.ends_on + timedelta(days=1), datetime.min.time(), ZoneInfo("Asia/Makassar"))
    assert checkout.expires_at == last
    receipt = client.get(placed.headers["Location"]).get_data(as_text=True)
    assert "Bayar di stan saat mengambil" in receipt and "Diambil di: Bazar UPPKS Harganas" in receipt
    # the group sees where it is collected and, once the bazaar has begun, marks it paid at the stand
    event.starts_on = today_wib()
    db.session.commit()
    orders_page = chair.get(f"/groups/{mawar.slug}/orders").get_data(as_text=True)
    assert "Diambil pembeli di acara" in orders_page and "Sudah dibayar di stan" in orders_page
    outsider = app.test_client()
    login(outsider, "ketua.lain@uji.example")
    assert outsider.post(f"/checkouts/{checkout.id}/paid-at-stand").status_code == 404
    assert chair.post(f"/checkouts/{checkout.id}/paid-at-stand").status_code == 302
    db.session.expire_all()
    assert checkout.status == "paid" and order.status == "paid"
    again = chair.post(f"/checkouts/{checkout.id}/paid-at-stand", follow_redirects=True)
    assert "tidak menunggu pembayaran" in again.get_data(as_text=True)
    # a group that does not take part offers no pick-up there, and the API cannot name it either
    make.user("pembeli@uji.example")
    headers = token(client, "pembeli@uji.example")
    wrong = client.post(
        "/api/v1/checkouts",
        headers=headers,
        json=checkout_body(
            [(keripik.id, 1)], shipping_methods={other.slug: "event"}, pickup_events={other.slug: event.id}
        ),
    )
    assert wrong.status_code == 422 and "tidak membuka pengambilan" in wrong.json["detail"] + str(wrong.json["errors"])
    ok = client.post(
        "/api/v1/checkouts",
        headers=headers,
        json=checkout_body(
            [(amplang.id, 2)],
            "bank_transfer",
            shipping_methods={mawar.slug: "event"},
            pickup_events={mawar.slug: event.id},
        ),
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["orders"][0]["shipping_method"] == "event" and ok.json["orders"][0]["pickup_event_id"] == event.id
    assert ok.json["total_idr"] == 50000


def _reserved_at_the_stand(client, event, mawar, amplang):
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    placed = client.post(
        "/checkout",
        data=dict(
            FORM,
            action="place",
            payment_method="at_stand",
            shown_total="25000",
            email="tamu@uji.example",
            phone="081299990000",
            **{f"ship-{mawar.slug}": f"event:{event.id}"},
        ),
    )
    assert placed.status_code == 302, placed.get_data(as_text=True)
    return db.session.scalars(db.select(Checkout).order_by(Checkout.id.desc())).first()


def test_a_group_marks_a_reservation_paid_at_the_stand_only_on_the_events_days(app, client, make):
    _officer_page, event, mawar, amplang, chair = _accepted(app, make)
    checkout = _reserved_at_the_stand(client, event, mawar, amplang)
    # five days before the bazaar: no button, the page says from when; the mark itself is refused
    page = chair.get(f"/groups/{mawar.slug}/orders").get_data(as_text=True)
    first_day = f"{event.starts_on.day} "
    assert "Sudah dibayar di stan" not in page
    assert "baru bisa dipakai mulai" in page and "00:00 WITA, hari pertama acara" in page and first_day in page
    early = chair.post(f"/checkouts/{checkout.id}/paid-at-stand", follow_redirects=True).get_data(as_text=True)
    assert "hari pertama acara" in early
    db.session.expire_all()
    assert checkout.status == "pending_payment"
    # the first day, where the bazaar is (Samarinda, WITA): the button is there and the mark is taken
    event.starts_on = today_wib()
    db.session.commit()
    page = chair.get(f"/groups/{mawar.slug}/orders").get_data(as_text=True)
    assert "Sudah dibayar di stan" in page and "baru bisa dipakai mulai" not in page
    assert chair.post(f"/checkouts/{checkout.id}/paid-at-stand").status_code == 302
    db.session.expire_all()
    assert checkout.status == "paid"
    # once the last day is over the reservation has run out: a late mark is refused
    late = _reserved_at_the_stand(client, event, mawar, amplang)
    late.expires_at = datetime.now(ZoneInfo("UTC")) - timedelta(minutes=1)
    db.session.commit()
    refused = chair.post(f"/checkouts/{late.id}/paid-at-stand", follow_redirects=True).get_data(as_text=True)
    assert "sudah berakhir bersama acaranya" in refused
    db.session.expire_all()
    assert late.status != "paid"


def test_the_officer_sees_reservations_for_pick_up_apart_from_paid_ones(app, client, make):
    officer, event, mawar, amplang, chair = _accepted(app, make)
    checkout = _reserved_at_the_stand(client, event, mawar, amplang)  # a guest reserves 1 × Rp25.000

    def figures():
        page = officer.get(f"/officer/events/{event.slug}").get_data(as_text=True)
        stat = dict(re.findall(r'data-stat="(\w+)">([^<]+)<', page))
        row = page[page.index(f'id="applicant-{mawar.slug}"') :]
        return stat["reserved_idr"], stat["collected_idr"], row[: row.index("</tr>")]

    reserved, collected, row = figures()
    assert (reserved, collected) == ("Rp25.000", "Rp0")
    assert "Rp25.000 (1)" in row and "Rp0 (0)" in row
    # paid at the stand on the first day: it moves from reserved to collected
    event.starts_on = today_wib()
    db.session.commit()
    assert chair.post(f"/checkouts/{checkout.id}/paid-at-stand").status_code == 302
    reserved, collected, _row = figures()
    assert (reserved, collected) == ("Rp0", "Rp25.000")
    # a reservation that ran out unpaid is no longer one
    late = _reserved_at_the_stand(client, event, mawar, amplang)
    late.expires_at = datetime.now(ZoneInfo("UTC")) - timedelta(minutes=1)
    db.session.commit()
    assert figures()[:2] == ("Rp0", "Rp25.000")


def test_a_buyer_collecting_at_the_event_gives_a_name_and_phone_number_and_no_address(app, client, make):
    _officer_page, event, mawar, amplang, chair = _accepted(app, make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "2"})
    pick_up = {f"ship-{mawar.slug}": f"event:{event.id}"}
    who = {"name": "Budi Santoso", "ship_phone": "081234500000", "email": "tamu@uji.example", "phone": "081299990000"}
    page = client.post("/checkout", data=dict(who, action="quote", **pick_up)).get_data(as_text=True)
    assert "Yang mengambil" in page and "tanpa alamat" in page
    assert 'name="street" type="text"' not in page and "Kode pos" not in page  # no address to type
    placed = client.post(
        "/checkout", data=dict(who, action="place", payment_method="at_stand", shown_total="50000", **pick_up)
    )
    assert placed.status_code == 302, placed.get_data(as_text=True)
    receipt = client.get(placed.headers["Location"]).get_data(as_text=True)
    assert "Budi Santoso · +6281234500000" in receipt and "Diambil di: Bazar UPPKS Harganas" in receipt
    assert "Pengiriman</h2>" not in receipt and "Kalimantan Timur" not in receipt  # no unused address shown
    assert "WITA" in receipt  # held until the event's last day, told in Samarinda's time
    orders_page = chair.get(f"/groups/{mawar.slug}/orders").get_data(as_text=True)
    assert "Diambil pembeli di acara" in orders_page and "Kirim ke:" not in orders_page
    # the API likewise: a name and a phone number for a pick-up; a courier still needs the address
    make.user("pembeli@uji.example")
    headers = token(client, "pembeli@uji.example")
    name_and_phone = {"name": "Sari", "phone": "081277770000"}
    collected = client.post(
        "/api/v1/checkouts",
        headers=headers,
        json=checkout_body(
            [(amplang.id, 1)],
            "at_stand",
            shipping_address=name_and_phone,
            shipping_methods={mawar.slug: "event"},
            pickup_events={mawar.slug: event.id},
        ),
    )
    assert collected.status_code == 201, collected.json
    sent = client.post(
        "/api/v1/checkouts", headers=headers, json=checkout_body([(amplang.id, 1)], shipping_address=name_and_phone)
    )
    assert sent.status_code == 422 and "shipping_address.street" in sent.json["errors"]
    assert stock_of(amplang) == 47  # two reservations, nothing for the refused courier order


def test_sales_at_the_event_and_the_officers_figures(app, client, make):
    officer, event, mawar, amplang, chair = _accepted(app, make)
    # the event took place (dates moved into the past, as time would)
    event.starts_on, event.ends_on = today_wib() - timedelta(days=3), today_wib() - timedelta(days=2)
    db.session.commit()
    headers = token(client, "ketua.mawar@uji.example")
    line = [{"product_id": amplang.id, "quantity": 20, "amount_idr": 500000}]
    outside = client.post(
        f"/api/v1/groups/{mawar.slug}/offline-sales",
        headers=headers,
        json={"sold_on": today_wib().isoformat(), "event_id": event.id, "lines": line},
    )
    assert outside.status_code == 422 and "sold_on" in outside.json["errors"]
    made = client.post(
        f"/api/v1/groups/{mawar.slug}/offline-sales",
        headers=headers,
        json={"sold_on": event.starts_on.isoformat(), "event_id": event.id, "reduce_stock": True, "lines": line},
    )
    assert made.status_code == 201, made.json
    assert made.json["event_id"] == event.id and made.json["place"] == "Bazar UPPKS Harganas"
    # through the page too: the book offers the event, the entry is tagged
    book = chair.get(f"/groups/{mawar.slug}/sales").get_data(as_text=True)
    assert f'<option value="{event.id}">Bazar UPPKS Harganas</option>' in book
    chair.post(
        f"/groups/{mawar.slug}/sales",
        data={
            "sold_on": event.ends_on.isoformat(),
            "event_id": str(event.id),
            "place": "",
            "lines-0-name": "Amplang curah",
            "lines-0-quantity": "3",
            "lines-0-amount_idr": "60000",
        },
    )
    # a business buyer met there orders within the month after: counted as new
    stranger = make.group(make.user("ketua.jauh@uji.example"), name="UPPKS Jauh", regency="64.71")
    assert (
        client.post(
            f"/api/v1/groups/{stranger.slug}/offline-sales",
            headers=token(client, "ketua.jauh@uji.example"),
            json={"sold_on": event.starts_on.isoformat(), "event_id": event.id, "lines": line},
        ).status_code
        == 422
    )  # not taking part
    _staff, auth, _org = verified_hotel(client, make)
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 4)]))
    assert placed.status_code == 201, placed.json
    mark_paid(db.session.get(Checkout, placed.json["id"]))
    manage = officer.get(f"/officer/events/{event.slug}").get_data(as_text=True)
    stat = dict(re.findall(r'data-stat="(\w+)">([^<]+)<', manage))
    assert stat == {
        "taking_part": "1",
        "offline_idr": "Rp560.000",
        "collected_idr": "Rp0",
        "reserved_idr": "Rp0",
        "new_business_buyers": "1",
    }
    assert "Selesai" in officer.get("/officer/events").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 1
