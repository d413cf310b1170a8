from datetime import timedelta

from app.core.mail import outbox
from app.core.timefmt import today_wib
from app.extensions import db
from app.orders.models import Checkout
from app.wholesale import proposals
from app.wholesale.models import DeliveryAddress, Invoice
from app.wholesale.standing_models import Proposal
from tests.support.buying import stock_of
from tests.support.factories import login, token
from tests.support.wholesale import amplang_groups, verified_hotel


def problem(r, status):
    assert r.status_code == status, r.get_data(as_text=True)
    return r.json


def weekly_order(client, auth, product, quantity=40, po="PO/HM/2026/0142", lead=3):
    """A standing order delivered every week on the weekday `lead` days from today."""
    address_id = db.session.scalar(db.select(DeliveryAddress.id)) or 1
    body = {
        "lines": [{"product_id": product.id, "quantity": quantity}],
        "frequency": "weekly",
        "weekday": (today_wib() + timedelta(days=lead)).isoweekday(),
        "address_id": address_id,
        "po_number": po,
        "lead_days": lead,
    }
    return client.post("/api/v1/standing-orders", headers=auth, json=body)


def test_a_hotel_sets_a_weekly_standing_order_and_the_group_confirms_the_first_proposal_with_fewer_packs(client, make):
    a, _b, pa, _pb = amplang_groups(make)
    staff, auth, org_id = verified_hotel(client, make)
    made = weekly_order(client, auth, pa)
    assert made.status_code == 201, made.json
    first = today_wib() + timedelta(days=3)
    assert (made.json["status"], made.json["po_number"], made.json["next_delivery"]) == (
        "active",
        "PO/HM/2026/0142",
        first.isoformat(),
    )
    assert made.json["group"]["slug"] == a.slug
    # the job run twice for one date makes one proposal, at today's catalogue price
    assert proposals.make_cycles(today_wib()) == 1
    assert proposals.make_cycles(today_wib()) == 0
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 1
    group_auth = token(client, "ketua.a@uji.example")
    listed = client.get("/api/v1/standing-orders", headers=group_auth).json["items"]
    assert len(listed) == 1
    proposal = listed[0]["proposals"][0]
    assert (proposal["delivery_date"], proposal["status"]) == (first.isoformat(), "proposed")
    assert proposal["lines"][0]["quantity"] == 40 and proposal["lines"][0]["unit_price_idr"] == 25000
    assert any("Pesanan rutin" in m["Subject"] and "ketua.a@uji.example" in m["To"] for m in outbox())
    # the group's home counts it
    home = client.get(f"/groups/{a.slug}", headers=group_auth)
    assert home.status_code in (200, 302)
    # the buyer cannot confirm; another group cannot see it
    url = f"/api/v1/standing-orders/{made.json['id']}/proposals/{proposal['id']}/confirm"
    problem(client.post(url, headers=auth, json={}), 404)
    problem(client.post(url, headers=token(client, "ketua.b@uji.example"), json={}), 404)
    # more than proposed is refused; fewer packs at a lower price becomes the invoiced order
    too_many = {"lines": [{"product_id": pa.id, "quantity": 41}]}
    problem(client.post(url, headers=group_auth, json=too_many), 422)
    adjusted = {"lines": [{"product_id": pa.id, "quantity": 30, "unit_price_idr": 24000}]}
    confirmed = client.post(url, headers=group_auth, json=adjusted)
    assert confirmed.status_code == 201, confirmed.json
    assert confirmed.json["status"] == "invoiced" and confirmed.json["po_number"] == "PO/HM/2026/0142"
    line = confirmed.json["orders"][0]["lines"][0]
    assert (line["quantity"], line["unit_price_idr"]) == (30, 24000)
    checkout = db.session.get(Checkout, confirmed.json["id"])
    assert checkout.organisation_id == org_id and checkout.user_id == staff.id
    invoice = db.session.scalar(db.select(Invoice).where(Invoice.order_id == checkout.orders[0].id))
    assert invoice is not None and invoice.amount_idr == checkout.orders[0].total_idr
    assert stock_of(pa) == 250 - 30
    told = [m for m in outbox() if "pembelian@hotel.example" in m["To"] and "dikonfirmasi" in m["Subject"]]
    assert told and "40 menjadi 30" in told[0].get_content()
    problem(client.post(url, headers=group_auth, json={}), 409)  # once only
    # the next week's cycle comes three days before its delivery
    assert proposals.make_cycles(today_wib() + timedelta(days=6)) == 0
    assert proposals.make_cycles(today_wib() + timedelta(days=7)) == 1
    dates = [
        p["delivery_date"] for p in client.get("/api/v1/standing-orders", headers=auth).json["items"][0]["proposals"]
    ]
    assert dates == [(first + timedelta(days=7)).isoformat(), first.isoformat()]


def test_a_paused_standing_order_makes_no_proposal_until_resumed_and_an_ended_one_never(client, make):
    _a, _b, pa, _pb = amplang_groups(make)
    _staff, auth, _org = verified_hotel(client, make)
    standing_id = weekly_order(client, auth, pa).json["id"]
    paused = client.post(f"/api/v1/standing-orders/{standing_id}/pause", headers=auth)
    assert paused.status_code == 200 and paused.json["status"] == "paused" and paused.json["next_delivery"] is None
    assert proposals.make_cycles(today_wib()) == 0
    problem(client.post(f"/api/v1/standing-orders/{standing_id}/pause", headers=auth), 409)
    assert client.post(f"/api/v1/standing-orders/{standing_id}/resume", headers=auth).json["status"] == "active"
    assert proposals.make_cycles(today_wib()) == 1
    ended = client.post(f"/api/v1/standing-orders/{standing_id}/end", headers=auth)
    assert ended.json["status"] == "ended"
    assert [p["status"] for p in ended.json["proposals"]] == ["cancelled"]  # the open one will not come
    for days in (7, 14):
        assert proposals.make_cycles(today_wib() + timedelta(days=days)) == 0
    problem(client.post(f"/api/v1/standing-orders/{standing_id}/resume", headers=auth), 409)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 1


def test_only_a_verified_business_buyer_sets_a_standing_order_of_one_groups_products(client, make):
    _a, _b, pa, pb = amplang_groups(make)
    make.user("konsumen@uji.example")
    plain = token(client, "konsumen@uji.example")
    problem(weekly_order(client, plain, pa), 403)
    _staff, auth, _org = verified_hotel(client, make)
    address_id = db.session.scalar(db.select(DeliveryAddress.id))
    mixed = {
        "lines": [{"product_id": pa.id, "quantity": 10}, {"product_id": pb.id, "quantity": 10}],
        "frequency": "monthly",
        "day_of_month": 5,
        "address_id": address_id,
    }
    assert "lines" in problem(client.post("/api/v1/standing-orders", headers=auth, json=mixed), 422)["errors"]
    monthly = dict(mixed, lines=mixed["lines"][:1])
    made = client.post("/api/v1/standing-orders", headers=auth, json=monthly)
    assert made.status_code == 201 and made.json["next_delivery"].endswith("-05")


def test_on_the_pages_a_hotel_sets_a_standing_order_pauses_it_and_the_group_confirms_a_proposal(app, client, make):
    a, _b, pa, _pb = amplang_groups(make)
    verified_hotel(client, make)
    login(client, "pembelian@hotel.example")
    assert "Buat pesanan rutin" in client.get("/business").get_data(as_text=True)
    picking = client.get("/business/standing/new").get_data(as_text=True)
    assert a.name in picking
    address_id = db.session.scalar(db.select(DeliveryAddress.id))
    weekday = (today_wib() + timedelta(days=3)).isoweekday()
    form = {"frequency": "weekly", "weekday": weekday, "lead_days": 3, "address_id": address_id}
    empty = client.post(f"/business/standing/new?group={a.slug}", data=form)
    assert empty.status_code == 422 and "paling sedikit satu produk" in empty.get_data(as_text=True)
    saved = client.post(
        f"/business/standing/new?group={a.slug}", data=form | {f"qty_{pa.id}": "40", "po_number": "PO-77"}
    )
    assert saved.status_code == 302
    page = client.get("/business").get_data(as_text=True)
    assert "PO-77" in page and "Setiap minggu" in page and f"40 {pa.unit} Amplang Pipih" in page
    assert proposals.make_cycles(today_wib()) == 1
    group = app.test_client()
    login(group, "ketua.a@uji.example")
    home = group.get(f"/groups/{a.slug}").get_data(as_text=True)
    assert "Pesanan rutin menunggu konfirmasi" in home
    quotes = group.get(f"/groups/{a.slug}/quotes").get_data(as_text=True)
    proposal = db.session.scalar(db.select(Proposal))
    line = proposal.lines[0]
    assert f"proposal-{proposal.id}" in quotes and "PO-77" in quotes
    done = group.post(
        f"/groups/{a.slug}/proposals/{proposal.id}/confirm", data={f"qty_{line.id}": "25", f"price_{line.id}": "25000"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    checkout = db.session.get(Checkout, db.session.get(Proposal, proposal.id).checkout_id)
    assert checkout.po_number == "PO-77" and checkout.orders[0].lines[0].quantity == 25
    assert "Pesanan rutin menunggu konfirmasi" not in group.get(f"/groups/{a.slug}").get_data(as_text=True)
    standing_id = proposal.standing_order_id
    client.post(f"/business/standing/{standing_id}/pause")
    assert "Dijeda" in client.get("/business").get_data(as_text=True)
