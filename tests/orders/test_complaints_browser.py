"""On a 360 px phone, without script: the buyer complains about crushed amplang with a photo from her
camera, the group gives half the money back from its orders page, the buyer accepts and Midtrans refunds
it (QRIS)."""

from __future__ import annotations

from app.extensions import db
from app.orders.complaint_models import Complaint
from app.orders.models import Checkout
from tests.support import ARTIFACTS
from tests.support.factories import PASSWORD, jpeg, token

from ..ledger.helpers import CHAIRS, place

NOTIFY = "/api/v1/payments/midtrans/notification"


def _phone(browser, live_server, email: str):
    page = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_buyer_complains_with_a_photo_and_the_group_refunds_half_on_a_phone(
    app, client, make, midtrans, live_server, browser, tmp_path
):
    body, auth, samarinda, _bengkulu = place(client, make, "qris")
    reference = db.session.get(Checkout, body["id"]).access_key
    midtrans.settle_silently(reference)
    assert client.post(NOTIFY, json=midtrans.notification(reference)).json["result"] == "paid"
    order = next(o for o in body["orders"] if o["group"]["slug"] == samarinda.slug)
    chair = token(client, CHAIRS[samarinda.name])
    for move in ({"status": "processing"}, {"status": "shipped", "tracking_number": "JNE01"}, {"status": "delivered"}):
        assert client.post(f"/api/v1/orders/{order['id']}/status", headers=chair, json=move).status_code == 200
    db.session.rollback()  # no transaction of the test's holds SQLite's lock while the live server writes

    buyer = _phone(browser, live_server, "pembeli@uji.example")
    buyer.goto(f"{live_server}/checkout/{reference}")
    buyer.click(f"#complain-{order['id']} summary")
    form = buyer.locator(f"#complain-{order['id']} form")
    assert form.locator("input[type=file]").get_attribute("accept") == "image/*"
    form.locator("input[value=damaged]").check()
    form.locator("textarea[name=description]").fill("Dua bungkus amplang remuk, kemasannya sobek.")
    form.locator("input[name=quantity]").fill("2")
    photo = tmp_path / "remuk.jpg"
    photo.write_bytes(jpeg())
    form.locator("input[type=file]").set_input_files(str(photo))
    ARTIFACTS.mkdir(exist_ok=True)
    form.screenshot(path=str(ARTIFACTS / "complaint-form-360.png"))  # the form alone: a full-page shot
    # resizes the page for a moment, and a click right after it can fall on nothing
    form.locator("button").click()
    buyer.wait_for_url("**/complaints/*")
    assert "Menunggu jawaban kelompok" in buyer.inner_text("#complaint-status")
    assert buyer.locator(".complaint-photos img").count() == 1
    _shot(buyer, "complaint-opened-360.png")

    group = _phone(browser, live_server, CHAIRS[samarinda.name])
    assert "Komplain pembeli perlu dijawab" in group.inner_text("#todo-complaints")
    group.goto(f"{live_server}/groups/{samarinda.slug}/orders?status=complaints")
    complaint = db.session.scalars(db.select(Complaint)).one()
    db.session.rollback()
    answer = group.locator(f"#answer-{complaint.id}")
    answer.locator("input[value=partial_refund]").check()
    half = order["total_idr"] // 2
    answer.locator("input[name=amount_idr]").fill(str(half))
    answer.locator("textarea[name=note]").fill("Maaf, kami kembalikan separuh.")
    answer.screenshot(path=str(ARTIFACTS / "complaint-group-answer-360.png"))
    answer.locator("button").click()
    group.wait_for_url("**/complaints/*")
    assert "Dijawab kelompok" in group.inner_text("#complaint-status")
    _shot(group, "complaint-group-answered-360.png")

    buyer.reload()
    assert "Dana dikembalikan sebagian" in buyer.inner_text("#buyer-choice")
    buyer.click("#buyer-choice form button")
    buyer.wait_for_selector("#refund-state")
    assert "Selesai" in buyer.inner_text("#complaint-status")
    assert "Sudah dikembalikan ke cara bayar semula" in buyer.inner_text("#refund-state")
    _shot(buyer, "complaint-refunded-360.png")
    assert midtrans.refunds == [{"order_id": reference, "amount": half, "refund_key": f"complaint-{complaint.id}"}]
