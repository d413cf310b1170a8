"""A guest on a 360 px phone sends one group's goods by J&T and picks the other's up; the group has a
courier come for the parcel and prints its label; the guest follows the parcel to her door. Biteship is
its fake on 127.0.0.1, reached by the app's own client and posting its webhooks to the live server."""

import re
import subprocess

import pytest

from app.extensions import db
from app.orders.models import Checkout, Order
from app.orders.status import mark_paid
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.buying import two_groups
from tests.support.factories import PASSWORD


def _as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.mark.sqlite_only
def test_guest_chooses_jnt_the_group_books_the_pickup_and_the_guest_follows_the_parcel(
    backend, app, make, live_server, browser, biteship, tmp_path
):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    samarinda.address, samarinda.postal_code, samarinda.whatsapp = "Jl. Mawar No. 1", "75119", "+6281234567890"
    bengkulu.postal_code = "38221"
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    guest = browser.new_page(viewport={"width": 360, "height": 740})
    guest.set_default_timeout(15000)
    for product, qty in ((amplang, "2"), (keripik, "2")):
        guest.goto(f"{live_server}/p/{product.id}/{product.slug}")
        guest.fill("input[name=quantity]", qty)
        guest.click("text=Tambah ke keranjang")
        guest.wait_for_selector("text=Ditambahkan ke keranjang")
    guest.click("text=Lanjut ke pembayaran")
    fill_guest_checkout(guest, ship_phone="081234500000")
    guest.click("button[value=quote]")
    guest.wait_for_selector(f"input[name='ship-{samarinda.slug}'][value='jnt:ez']")
    assert "J&T EZ · 2–4 hari" in guest.inner_text(f"label:has(input[name='ship-{samarinda.slug}'][value='jnt:ez'])")
    guest.check(f"input[name='ship-{samarinda.slug}'][value='jnt:ez']")
    guest.check(f"input[name='ship-{bengkulu.slug}'][value=pickup]")
    guest.click("button[value=quote]")
    guest.wait_for_selector("text=Rp94.000")  # 50.000 + 34.000 goods, J&T within Samarinda 10.000
    guest.screenshot(path=str(ARTIFACTS / "couriers-checkout-360.png"), full_page=True)
    assert guest.evaluate("document.documentElement.scrollWidth") <= 360
    guest.click("button[value=place]")
    guest.wait_for_selector("text=Transfer tepat")
    checkout = db.session.scalars(db.select(Checkout)).one()
    assert _as_int(guest.inner_text("#total")) == checkout.total_idr == 94000
    mark_paid(checkout)  # the transfer confirmed
    order = db.session.scalars(db.select(Order).where(Order.group_id == samarinda.id)).one()

    group = browser.new_page(viewport={"width": 360, "height": 740})
    group.set_default_timeout(15000)
    group.goto(f"{live_server}/login")
    group.fill("input[name=email]", "ketua.smd@uji.example")
    group.fill("input[name=password]", PASSWORD)
    group.click("main form button[type=submit]")
    group.wait_for_url(lambda url: not url.endswith("/login"))
    group.goto(f"{live_server}/groups/{samarinda.slug}/orders")
    with group.expect_navigation():
        group.click("button:has-text('Siapkan pesanan')")  # prepared first, as every order; then handed to the courier
    group.click(f"#ship-{order.id} button[value=book]")
    group.wait_for_selector("text=Kurir dipesan")
    db.session.expire_all()
    waybill = order.shipment.waybill
    assert order.status == "shipped" and waybill.startswith("JNT") and waybill in group.content()
    group.screenshot(path=str(ARTIFACTS / "couriers-group-booked-360.png"), full_page=True)
    href = group.get_attribute("a:has-text('Cetak label')", "href")
    label = group.request.get(f"{live_server}{href}")
    assert label.status == 200 and label.headers["content-type"] == "application/pdf"
    (tmp_path / "label.pdf").write_bytes(label.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "90", str(tmp_path / "label.pdf"), str(ARTIFACTS / "couriers-label")], check=True
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "label.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert waybill in text and "Budi Santoso" in text and "UPPKS Mawar" in text

    for status, note in (("picked", "Paket diambil kurir J&T di Samarinda"), ("delivered", "Diterima oleh Budi")):
        payload = biteship.advance(order.shipment.provider_order_id, status, note)
        assert biteship.post_webhook(f"{live_server}/webhooks/biteship", payload) == 200
    guest.reload()
    tracking = guest.locator(f"#tracking-{order.id}")
    assert "Paket sampai di tujuan" in tracking.inner_text() and waybill in tracking.inner_text()
    assert "Paket sudah diambil kurir" in tracking.inner_text()
    tracking.screenshot(path=str(ARTIFACTS / "couriers-tracking-360.png"))
    guest.screenshot(path=str(ARTIFACTS / "couriers-buyer-tracking-360.png"), full_page=True)
    assert guest.evaluate("document.documentElement.scrollWidth") <= 360
    db.session.expire_all()
    assert order.status == "delivered"
