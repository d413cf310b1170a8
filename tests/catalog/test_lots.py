import subprocess
from datetime import timedelta
from pathlib import Path

from app.catalog import lots
from app.catalog.models import Lot, LotTake, Product
from app.core.timefmt import today_wib
from app.extensions import db
from app.orders import status
from app.orders.models import Checkout
from app.wholesale.models import Organisation
from tests.support.buying import checkout_body, stock_of
from tests.support.factories import login, token
from tests.support.wholesale import verified_hotel

GOOD = "8992761111113"  # EAN-13 with its right check digit
BAD = "8992761111112"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _day(days: int) -> str:
    return (today_wib() + timedelta(days=days)).isoformat()


def _edit_form(product: Product, **extra) -> dict:
    return {
        "name": product.name,
        "category": product.category.slug,
        "unit": product.unit,
        "price_idr": str(product.price_idr),
        "stock": str(product.stock),
        "min_order_qty": "1",
        "status": "active",
        **extra,
    }


def _add_lot(make, product, quantity: int, produced: int, expires: int, code: str) -> Lot:
    return lots.add_lot(
        make.chair_of(product.group),
        product.id,
        {"quantity": quantity, "produced_on": _day(produced), "expires_on": _day(expires), "code": code},
    )


def test_a_wrong_gtin_is_refused_with_its_message_and_a_right_one_kept(app, client, make):
    group = make.group()
    product = make.product(group)
    login(client, make.chair_of(group).email)
    page = client.post(f"/products/{product.id}/edit", data=_edit_form(product, gtin=BAD))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Angka pemeriksa GTIN 8992761111112 salah" in html
    assert f'value="{BAD}"' in html  # what was typed stays on the page
    assert (
        client.post(f"/products/{product.id}/edit", data=_edit_form(product, gtin="899-2761-111113")).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Product, product.id).gtin == GOOD

    auth = token(app.test_client(), make.chair_of(group).email)
    refused = client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"gtin": "036000291453"})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "Angka pemeriksa GTIN 036000291453 salah" in refused.json["errors"]["gtin"][0]
    kept = client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"gtin": "036000291452"})
    assert kept.status_code == 200 and kept.json["gtin"] == "036000291452"
    made = client.post(
        f"/api/v1/groups/{group.slug}/products",
        headers=auth,
        json={
            "name": "Keripik Tempe",
            "category": "keripik",
            "net_weight_g": 100,
            "price_idr": 9000,
            "gtin": "96385074",
        },
    )
    assert made.status_code == 201 and made.json["gtin"] == "96385074"


def test_lots_added_on_the_edit_page_sum_into_the_stock(app, client, make):
    group = make.group()
    product = make.product(group, stock=0)
    login(client, make.chair_of(group).email)
    for quantity, produced, expires in ((30, -10, 170), (20, -2, 200)):
        added = client.post(
            f"/products/{product.id}/lots",
            data={"quantity": quantity, "produced_on": _day(produced), "expires_on": _day(expires)},
        )
        assert added.status_code == 302
    assert stock_of(product) == 50
    refused = client.post(
        f"/products/{product.id}/lots", data={"quantity": 5, "produced_on": _day(0), "expires_on": _day(-1)}
    )
    assert refused.status_code == 302 and stock_of(product) == 50
    page = client.get(f"/products/{product.id}/edit").get_data(as_text=True)
    assert "Tambah stok" in page and "sisa 30" in page and "sisa 20" in page
    assert "Tanggal kedaluwarsa harus sesudah hari ini" in page  # the refused lot's message, flashed


def test_an_order_takes_the_lot_that_expires_first_and_gives_it_back_when_it_runs_out(app, client, make):
    group = make.group()
    product = make.product(group, stock=0)
    later = _add_lot(make, product, 10, -5, 300, "B2")
    first = _add_lot(make, product, 4, -20, 60, "A1")
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 6)]))
    assert placed.status_code == 201, placed.json
    db.session.expire_all()
    assert (db.session.get(Lot, first.id).quantity, db.session.get(Lot, later.id).quantity) == (0, 8)
    assert stock_of(product) == 8
    takes = db.session.scalars(db.select(LotTake).order_by(LotTake.id)).all()
    assert [(t.lot.code, t.quantity) for t in takes] == [("A1", 4), ("B2", 2)]
    assert all(t.order_line_id for t in takes)
    login(client, make.chair_of(group).email)
    orders_page = client.get(f"/groups/{group.slug}/orders").get_data(as_text=True)
    assert "Lot A1, kedaluwarsa" in orders_page and "Lot B2, kedaluwarsa" in orders_page
    status.expire(db.session.get(Checkout, placed.json["id"]))  # not paid in time: cancelled
    db.session.expire_all()
    assert (db.session.get(Lot, first.id).quantity, db.session.get(Lot, later.id).quantity) == (4, 10)
    assert stock_of(product) == 14


def test_a_buyer_asking_for_two_thirds_of_the_shelf_life_never_gets_an_older_lot(app, client, make):
    group = make.group()
    product = make.product(group, name="Amplang Pipih", stock=0)
    old = _add_lot(make, product, 100, -200, 100, "TUA")  # a third of its shelf life left
    fresh = _add_lot(make, product, 8, -10, 290, "BARU")
    staff, auth, org_id = verified_hotel(client, make)
    login(client, staff.email)
    assert client.post("/business/shelf-life", data={"min_shelf_percent": "67"}).status_code == 302
    assert db.session.get(Organisation, org_id).min_shelf_percent == 67

    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 5)]))
    assert placed.status_code == 201, placed.json
    db.session.expire_all()
    assert (db.session.get(Lot, old.id).quantity, db.session.get(Lot, fresh.id).quantity) == (100, 3)

    refused = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 4)]))
    assert refused.status_code == 409
    message = refused.json["detail"]
    assert "Amplang Pipih" in message and "67%" in message and "tinggal 3" in message
    db.session.expire_all()
    assert stock_of(product) == 103 and db.session.get(Lot, fresh.id).quantity == 3  # nothing kept
    # a consumer without the rule gets the older lot first
    make.user("konsumen@uji.example")
    mine = client.post(
        "/api/v1/checkouts", headers=token(client, "konsumen@uji.example"), json=checkout_body([(product.id, 4)])
    )
    assert mine.status_code == 201
    db.session.expire_all()
    assert db.session.get(Lot, old.id).quantity == 96


def test_the_group_prints_barcode_labels_with_the_gtin_and_the_expiry(app, client, make, tmp_path):
    group = make.group()
    product = make.product(group, name="Amplang Ikan Pipih", gtin=GOOD, stock=0)
    _add_lot(make, product, 12, -3, 180, "L0301")
    make.product(group, name="Tanpa Barcode")
    login(client, make.chair_of(group).email)
    edit = client.get(f"/products/{product.id}/edit").get_data(as_text=True)
    assert f"/groups/{group.slug}/labels.pdf" in edit
    response = client.get(f"/groups/{group.slug}/labels.pdf?copies=3")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(GOOD) == 3 and "Amplang Ikan Pipih" in text and "Rp25.000" in text
    assert "Lot L0301" in text and "Kedaluwarsa" in text and "Tanpa Barcode" not in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(ARTIFACTS / "barcode-labels")], check=True
    )
    assert (ARTIFACTS / "barcode-labels.png").stat().st_size > 5000
    stranger = make.user("orang.lain@uji.example")
    login(client, stranger.email)
    assert client.get(f"/groups/{group.slug}/labels.pdf").status_code in (403, 404)


def test_an_offer_from_stock_says_which_lot_the_hotel_will_get(app, client, make):
    from tests.support.wholesale import amplang_groups, soon

    a, _b, amplang, _m = amplang_groups(make)
    _add_lot(make, amplang, 100, -10, 200, "B-0712")
    _add_lot(make, amplang, 60, -30, 90, "A-0611")  # expires first: the one the offer delivers
    _staff, auth, _org = verified_hotel(client, make)
    ask = {
        "product_id": amplang.id,
        "description": "Amplang",
        "quantity": 50,
        "needed_by": soon(),
        "delivery_regency": "64.72",
    }
    quote_id = client.post("/api/v1/quotes", headers=auth, json=ask).json["id"]
    offered = client.post(
        f"/api/v1/quotes/{quote_id}/offers",
        headers=token(client, "ketua.a@uji.example"),
        json={"unit_price_idr": 21000, "quantity": 50, "lead_time_days": 2, "valid_until": soon(7)},
    )
    assert offered.status_code == 201, offered.json
    login(client, "pembelian@hotel.example")
    page = client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert "Lot A-0611, kedaluwarsa" in page and "B-0712" not in page
