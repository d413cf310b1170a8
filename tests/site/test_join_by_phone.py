"""A woman with no e-mail, on a 360 px phone, signs up with her phone number (the code read from what the
fake WhatsApp Cloud API received), joins her group by the chair's link, the chair confirms, and she lands
on her group's home; she lists a product from her phone (photo first), a guest orders it and pays by
transfer, and the chair hears of the paid order by WhatsApp (the fake's log). In real Chromium."""

import pytest
from sqlalchemy import select

from app.core import jobs
from app.core.jobs import OutboxJob
from app.core.types import utcnow
from app.extensions import db
from app.orders.models import Checkout
from app.orders.status import mark_paid
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.factories import PASSWORD, jpeg

PHONE = {"width": 360, "height": 740}
CHAIRS_NUMBER = "+6281234500001"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


@pytest.mark.sqlite_only
def test_a_woman_without_email_joins_by_the_chairs_link_lists_a_product_and_the_chair_hears_of_its_order(
    backend, app, make, live_server, whatsapp, browser, tmp_path
):
    chair = make.user("ketua@uji.example", name="Ibu Ketua")
    chair.phone, chair.phone_verified_at = CHAIRS_NUMBER, utcnow()  # she signed in by phone once
    db.session.commit()
    group = make.group(chair, name="UPPKS Melati Lebong")

    ketua = browser.new_context(viewport=PHONE).new_page()
    ketua.set_default_timeout(15000)
    ketua.goto(f"{live_server}/login")
    ketua.fill("input[name=email]", "ketua@uji.example")
    ketua.fill("input[name=password]", PASSWORD)
    ketua.click("main form button[type=submit]")
    ketua.wait_for_url(f"{live_server}/groups/{group.slug}")
    ketua.goto(f"{live_server}/groups/{group.slug}/manage#join")
    ketua.click("text=Buat tautan gabung")
    ketua.wait_for_selector("#join-link")
    assert ketua.locator(".join-qr img").evaluate("img => img.complete && img.naturalWidth > 0")
    _shot(ketua, "join-link-chair")
    link = ketua.locator("#join-link").inner_text()

    siti = browser.new_context(viewport=PHONE).new_page()
    siti.set_default_timeout(15000)
    siti.goto(link)  # as if she scanned the QR code
    _shot(siti, "join-link-opened")
    siti.click("main a:has-text('Daftar dengan nomor HP')")
    siti.wait_for_url("**/register/phone**")
    siti.fill("input[name=name]", "Ibu Siti Aminah")
    siti.fill("input[name=phone]", "0812 3456 7001")
    _shot(siti, "phone-sign-up")
    siti.click("main form button[type=submit]")
    siti.wait_for_selector("input[autocomplete=one-time-code]")
    code_input = siti.locator("input[name=code]")
    assert code_input.get_attribute("inputmode") == "numeric"
    assert code_input.bounding_box()["height"] >= 48  # a big target on a phone
    [code] = whatsapp.codes_sent_to("+6281234567001")
    code_input.fill(code)
    _shot(siti, "phone-code")
    siti.click("main form.phone-form button[type=submit]")
    siti.wait_for_url(link)  # back at the link, signed in
    siti.click("main button:has-text('Minta bergabung')")
    siti.wait_for_selector("#join-status")
    _shot(siti, "join-requested")

    ketua.goto(f"{live_server}/groups/{group.slug}/manage")
    request = ketua.locator("div[id^=join-request-]", has_text="Ibu Siti Aminah")
    assert "0812-3456-7001" in request.inner_text()
    _shot(ketua, "join-request-chair")
    request.locator("text=Konfirmasi").click()
    ketua.wait_for_selector("text=Ibu Siti Aminah sekarang anggota kelompok.")

    siti.click("text=Periksa lagi")
    siti.wait_for_url(f"{live_server}/groups/{group.slug}")  # her group's home
    assert "UPPKS Melati Lebong" in siti.content()
    _shot(siti, "joined-group-home")

    product = _lists_a_product(siti, live_server, tmp_path)
    checkout = _a_guest_orders(browser, live_server, product)
    mark_paid(checkout)  # the transfer confirmed
    for row in db.session.scalars(select(OutboxJob).where(OutboxJob.status != "done")).all() * 2:
        jobs.run_outbox(row.id)  # the queue's worker (twice over: a worker restarted)
    order = db.session.get(Checkout, checkout.id).orders[0]
    told = [m for m in whatsapp.sent_to(CHAIRS_NUMBER) if m["name"] == "pesanan_baru"]
    assert [line.name for line in order.lines] == ["Tas Anyaman Purun"] and order.group_id == group.id
    assert len(told) == 1 and told[0]["params"] == [order.number, "Rp55.000"]  # the bag 45.000, shipping 10.000


def _lists_a_product(siti, live_server: str, tmp_path) -> str:
    """From her group's home, with the phone's camera photo: the product's page path."""
    photo = tmp_path / "IMG_20261130_0715.jpg"
    photo.write_bytes(jpeg((1200, 1600), colour=(170, 120, 60)))
    siti.click("text=Tambah produk")
    siti.wait_for_selector("h1:has-text('Produk baru')")
    siti.set_input_files("input[name=photos]", str(photo))
    siti.fill("input[name=name]", "Tas Anyaman Purun")
    siti.select_option("select[name=category]", "anyaman")
    siti.fill("input[name=price_idr]", "45000")
    siti.fill("input[name=unit]", "buah")  # a bag, not a packet
    siti.fill("input[name=stock]", "5")
    _shot(siti, "member-lists-product")
    siti.click("main form button[type=submit]")
    siti.wait_for_selector("text=Produk tampil di toko.")
    _shot(siti, "member-listed-product")
    siti.click("main a:has-text('Lihat di toko')")
    siti.wait_for_selector("h1:has-text('Tas Anyaman Purun')")
    return siti.url.removeprefix(live_server)


def _a_guest_orders(browser, live_server: str, path: str) -> Checkout:
    guest = browser.new_context(viewport=PHONE).new_page()
    guest.set_default_timeout(15000)
    guest.goto(live_server + path)
    _shot(guest, "guest-product")
    guest.click("text=Tambah ke keranjang")
    guest.wait_for_selector("text=Ditambahkan ke keranjang")
    guest.click("text=Lanjut ke pembayaran")
    fill_guest_checkout(guest)
    _shot(guest, "guest-checkout")
    guest.wait_for_timeout(300)
    guest.click("button[value=place]")
    guest.wait_for_selector("text=Transfer tepat")
    _shot(guest, "guest-pays-by-transfer")
    return db.session.scalars(select(Checkout)).one()
