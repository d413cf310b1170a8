"""On a 360 px phone, without script: the buyer whose amplang arrived crushed sends it back with a courier's
pick-up (Biteship's fake, booked by the real client), prints the label, and both she and the group follow
the return's parcel; the courier's webhook says it arrived and the group sees it received."""

from __future__ import annotations

from app.extensions import db
from app.orders.return_models import ReturnShipment
from tests.support import ARTIFACTS

from .test_complaints import _paid_by_transfer, _ship
from .test_complaints_browser import _phone
from .test_returns import CHAIR, _complaint_answered_with_a_return, _pick_up_address


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.wait_for_timeout(300)  # a click right after a full-page shot can fall on nothing


def test_the_buyer_books_the_return_pick_up_on_a_phone_and_both_follow_it(
    app, client, make, biteship, live_server, browser
):
    order, auth = _paid_by_transfer(client, make)
    _pick_up_address(order.group)
    _ship(client, order.id, CHAIR)
    _complaint_answered_with_a_return(client, order, auth, "damaged")
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    db.session.rollback()  # no transaction of the test's holds SQLite's lock while the live server writes

    buyer = _phone(browser, live_server, "pembeli@uji.example")
    buyer.goto(f"{live_server}/complaints/{ret.complaint_id}")
    with buyer.expect_navigation():
        buyer.click("#complaint-return a")
    assert "ditanggung kelompok" in buyer.inner_text("#return-payer")
    assert "Kirim paling lambat" in buyer.inner_text("#return-deadline")  # RETURN_SEND_DAYS after it was asked
    assert buyer.locator("#return-book input[name=option]").count() >= 5  # JNE, J&T, SiCepat, AnterAja, POS
    _shot(buyer, "return-waiting-360.png")
    buyer.locator("#return-book input[value='sicepat:reg']").check()
    with buyer.expect_navigation():
        buyer.click("#return-book button")
    tracking = buyer.inner_text("#return-tracking")
    db.session.expire_all()
    waybill = db.session.get(ReturnShipment, ret.id).waybill
    assert waybill and waybill in tracking and "SiCepat REG" in tracking
    label = buyer.request.get(f"{live_server}/returns/{ret.id}/label.pdf")
    assert label.ok and label.headers["content-type"] == "application/pdf"

    provider_order = db.session.get(ReturnShipment, ret.id).provider_order_id
    db.session.rollback()
    for status, note in (("picked", "Paket diambil di Samarinda Ulu"), ("delivered", "Diterima oleh UPPKS Mawar")):
        assert biteship.post_webhook(f"{live_server}/webhooks/biteship", biteship.advance(provider_order, status, note))
    buyer.reload()
    assert "Paket sudah diambil kurir" in buyer.inner_text("#return-tracking")  # the webhook carries no note
    assert "Barang sudah diterima kelompok" in buyer.inner_text("#return-received")
    assert "Isi rekening bank Anda" in buyer.inner_text("#return-summary")  # paid by transfer: refunded by hand
    _shot(buyer, "return-delivered-360.png")

    group = _phone(browser, live_server, CHAIR)
    group.goto(f"{live_server}/returns/{ret.id}")
    seen = group.inner_text("#return-tracking")
    assert waybill in seen and "Paket sampai di tujuan" in seen
    assert group.locator("#return-receive").count() == 0  # the courier's delivered already said so
    assert "Dana Rp60.000 dikembalikan ke pembeli" in group.inner_text("#return-summary")
    _shot(group, "return-group-360.png")
