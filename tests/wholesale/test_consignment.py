import io

from app.extensions import db
from app.wholesale.consignment_models import ConsignedStock, ConsignmentAgreement
from app.wholesale.models import Invoice
from tests.support.buying import stock_of
from tests.support.factories import login, token
from tests.support.wholesale import HOTEL

SUPERMARKET = dict(HOTEL, name="Swalayan Segar Samarinda", type="supermarket")


def supermarket(app, client, make):
    """A verified supermarket with 30 days' terms; its staff member signed in on a browser of their own."""
    from app.wholesale import organisations

    make.user("pembelian@swalayan.example", name="Pak Budi (Swalayan)")
    auth = token(client, "pembelian@swalayan.example")
    org_id = client.post("/api/v1/organisations", headers=auth, json=SUPERMARKET).json["id"]
    organisations.verify_org(make.admin(), org_id, 30)
    store = app.test_client()
    login(store, "pembelian@swalayan.example")
    return org_id, store


def consigning_group(app, make):
    chair = make.user("ketua@mawar.example", name="Bu Siti")
    group = make.group(chair, name="UPPKS Mawar")
    product = make.product(group, name="Amplang Pipih", price_idr=25000, stock=250, gtin="8992761111113")
    browser = app.test_client()
    login(browser, "ketua@mawar.example")
    return group, product, browser


def agreed(app, client, make, commission=20):
    """The group proposes 20% commission, the store's staff accept it on their business page."""
    org_id, store = supermarket(app, client, make)
    group, product, browser = consigning_group(app, make)
    r = browser.post(
        f"/groups/{group.slug}/consignment",
        data={"organisation_id": org_id, "commission_percent": commission, "settlement_days": 30},
    )
    assert r.status_code == 302
    agreement = db.session.query(ConsignmentAgreement).one()
    assert agreement.status == "proposed"
    assert "Swalayan Segar Samarinda" in store.get("/business").get_data(as_text=True)
    assert store.post(f"/business/consignment/{agreement.id}/accept").status_code == 302
    db.session.expire_all()
    assert agreement.status == "active"
    return group, product, browser, store, agreement


def test_supermarket_sells_consigned_goods_is_invoiced_for_them_and_the_rest_comes_back(app, client, make):
    group, product, browser, store, agreement = agreed(app, client, make)
    r = browser.post(
        f"/groups/{group.slug}/consignment/{agreement.id}/place", data={"product_id": product.id, "quantity": 100}
    )
    assert r.status_code == 302
    assert stock_of(product) == 150  # 100 packs left the online stock for the store
    page = store.get(f"/business/consignment/{agreement.id}").get_data(as_text=True)
    assert "Amplang Pipih" in page and "Rp20.000" in page.replace("\xa0", "")

    csv_file = "product_id,gtin,name,quantity_sold\n,8992761111113,,60\n"
    r = store.post(
        f"/business/consignment/{agreement.id}/report",
        data={"file": (io.BytesIO(csv_file.encode()), "penjualan.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    r = store.post(f"/business/consignment/{agreement.id}/settle")
    assert r.status_code == 302 and "/invoices/" in r.headers["Location"]
    invoice = db.session.query(Invoice).one()
    assert invoice.amount_idr == 60 * (25000 - 25000 * 20 // 100) == 1_200_000
    assert invoice.order.total_idr == 1_200_000 and invoice.order.lines[0].quantity == 60
    assert stock_of(product) == 150  # settling draws nothing from the online stock
    # nothing more to invoice: a second settlement makes no second invoice
    store.post(f"/business/consignment/{agreement.id}/settle")
    assert db.session.query(Invoice).count() == 1

    row = db.session.query(ConsignedStock).one()
    returned = f"/groups/{group.slug}/consignment/stock/{row.id}/return"
    assert browser.post(returned, data={"quantity": 30}).status_code == 302
    assert stock_of(product) == 180  # unsold goods are back online
    assert browser.post(returned, data={"quantity": 10, "near_expiry": "1"}).status_code == 302
    assert stock_of(product) == 180  # near-expiry goods are not
    page = browser.get(f"/groups/{group.slug}/consignment").get_data(as_text=True)
    db.session.expire_all()
    assert (row.placed, row.sold, row.returned, row.at_store) == (100, 60, 40, 0)
    assert "Swalayan Segar Samarinda" in page


def test_a_store_cannot_report_more_sold_than_is_at_the_store(app, client, make):
    group, product, browser, store, agreement = agreed(app, client, make)
    browser.post(
        f"/groups/{group.slug}/consignment/{agreement.id}/place", data={"product_id": product.id, "quantity": 20}
    )
    row = db.session.query(ConsignedStock).one()
    r = store.post(f"/business/consignment/{agreement.id}/report", data={f"sold-{row.id}": 21})
    assert r.status_code == 422
    assert "Amplang Pipih" in r.get_data(as_text=True) and "tinggal 20" in r.get_data(as_text=True)
    csv_file = f"product_id,gtin,name,quantity_sold\n{product.id},,,25\n"
    r = store.post(
        f"/business/consignment/{agreement.id}/report",
        data={"file": (io.BytesIO(csv_file.encode()), "penjualan.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert store.post(f"/business/consignment/{agreement.id}/report", data={f"sold-{row.id}": 20}).status_code == 302
    db.session.expire_all()
    assert (row.sold, row.at_store) == (20, 0)


def test_only_the_chair_or_treasurer_places_goods_and_only_the_store_reports(app, client, make):
    group, product, browser, store, agreement = agreed(app, client, make)
    stranger = app.test_client()
    make.user("orang@lain.example")
    login(stranger, "orang@lain.example")
    assert stranger.get(f"/business/consignment/{agreement.id}").status_code == 404
    assert stranger.get(f"/groups/{group.slug}/consignment").status_code == 404
    assert (
        store.post(
            f"/groups/{group.slug}/consignment/{agreement.id}/place", data={"product_id": product.id, "quantity": 5}
        ).status_code
        == 404
    )
    assert stock_of(product) == 250
