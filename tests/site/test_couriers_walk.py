"""A guest on a 360 px phone sends one group's goods by J&T and picks the other's up; the group has a
courier come for the parcel and prints its label; the guest follows the parcel to her door. Biteship is
its fake on 127.0.0.1, reached by the app's own client and posting its webhooks to the live server. Then,
with no account, through her order's link alone: she presses "Pesanan sudah saya terima", finds the amplang
crushed and complains with a photo (an order completed less than COMPLAINT_DAYS ago may be complained
about), the group's chair gives back half the goods, and she accepts and gives the bank account the refund is
transferred to by hand (she paid by transfer)."""

import re
import subprocess

import pytest
from PIL import Image, ImageDraw

from app.extensions import db
from app.orders import complaints
from app.orders.complaint_models import Complaint
from app.orders.models import Checkout, Order
from app.orders.status import mark_paid
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.buying import two_groups
from tests.support.factories import PASSWORD


def _as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.wait_for_timeout(300)  # a click right after a full-page screenshot can be lost


def _crushed_amplang(path) -> str:
    """A small real photo (PNG, drawn with Pillow) of a crushed packet, as her phone's camera would send."""
    image = Image.new("RGB", (480, 360), (236, 221, 190))
    draw = ImageDraw.Draw(image)
    draw.polygon([(60, 80), (400, 40), (430, 300), (90, 320)], fill=(214, 160, 70), outline=(120, 80, 30))
    for x in range(90, 400, 28):
        draw.line([(x, 90), (x + 20, 300)], fill=(150, 100, 40), width=3)
    image.save(path, "PNG")
    return str(path)


def _guest_receives_and_complains(guest, live_server, checkout: Checkout, order: Order, tmp_path) -> Complaint:
    """Through her order's link: "Pesanan sudah saya terima", then a complaint with a photo."""
    guest.click(f"#received-{order.id} button")
    guest.wait_for_selector("text=Terima kasih! Pesanan selesai.")
    db.session.expire_all()
    assert order.status == "completed" and order.events[-1].actor_id is None
    assert complaints.in_window(order)  # completed less than COMPLAINT_DAYS ago: she may still complain
    db.session.rollback()  # no read of the test's holds SQLite's lock while the live server writes
    assert guest.locator(f"#received-{order.id}").count() == 0
    _shot(guest, "couriers-received-360.png")
    guest.click(f"#complain-{order.id} summary")
    form = guest.locator(f"#complain-{order.id} form")
    form.locator("input[value=damaged]").check()
    form.locator("textarea[name=description]").fill("Amplangnya remuk, satu bungkus hancur dan kemasannya sobek.")
    form.locator("input[name=quantity]").fill("1")
    form.locator("input[type=file]").set_input_files(_crushed_amplang(tmp_path / "remuk.png"))
    form.screenshot(path=str(ARTIFACTS / "couriers-complaint-form-360.png"))
    guest.wait_for_timeout(300)
    form.locator("button").click()
    guest.wait_for_url(f"**/checkout/{checkout.access_key}/complaints/*")
    assert "Menunggu jawaban kelompok" in guest.inner_text("#complaint-status")
    photo = guest.locator(".complaint-photos img")
    assert photo.count() == 1 and photo.evaluate("img => img.complete && img.naturalWidth > 0")  # seen by her link
    _shot(guest, "couriers-complaint-opened-360.png")
    complaint = db.session.scalars(db.select(Complaint)).one()
    db.session.rollback()
    assert complaint.user_id is None
    return complaint


def _group_answers_half(group, live_server, slug: str, complaint: Complaint, half: int) -> None:
    """The chair sees the guest's complaint among her orders and gives back half the goods (at 1366 px)."""
    group.goto(f"{live_server}/groups/{slug}/orders?status=complaints")
    assert "Amplangnya remuk" in group.inner_text(f"#complaint-{complaint.id}")
    assert "1 foto" in group.inner_text(f"#complaint-{complaint.id}")
    _shot(group, "couriers-group-complaint-360.png")
    group.set_viewport_size({"width": 1366, "height": 800})
    group.goto(f"{live_server}/complaints/{complaint.id}")
    answer = group.locator(f"#answer-{complaint.id}")
    answer.locator("input[value=partial_refund]").check()
    answer.locator("input[name=amount_idr]").fill(str(half))
    answer.locator("textarea[name=note]").fill("Maaf, amplangnya remuk di jalan. Separuh harga barang kami kembalikan.")
    _shot(group, "couriers-group-complaint-answer-1366.png")
    answer.locator("button").click()
    group.wait_for_selector("text=Jawaban terkirim ke pembeli.")
    assert "Dijawab kelompok" in group.inner_text("#complaint-status")
    group.set_viewport_size({"width": 360, "height": 740})


def _guest_accepts_by_hand(guest, half: int) -> None:
    """She accepts the group's answer and gives her bank account: the refund is transferred to it by hand."""
    guest.reload()
    choice = guest.locator("#buyer-choice")
    assert (
        "Dana dikembalikan sebagian" in choice.inner_text() and _as_int(choice.locator("strong").inner_text()) == half
    )
    assert "rekening bank Anda" in choice.inner_text()
    choice.locator("input[name=bank_name]").fill("BRI")
    choice.locator("input[name=account_number]").fill("0123 4567 8901")
    choice.locator("input[name=account_name]").fill("Budi Santoso")
    _shot(guest, "couriers-complaint-answered-360.png")
    choice.locator("button:has-text('Terima jawaban')").click()
    guest.wait_for_selector("#refund-state")
    assert "Selesai" in guest.inner_text("#complaint-status")
    result = guest.inner_text("#complaint-result")
    assert f"Rp{half:,}".replace(",", ".") in result and "0123 4567 8901" in result
    assert "Admin akan mentransfer ke rekening Anda" in guest.inner_text("#refund-state")
    _shot(guest, "couriers-complaint-refunded-360.png")


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
    db.session.rollback()

    complaint = _guest_receives_and_complains(guest, live_server, checkout, order, tmp_path)
    half = (order.total_idr - order.shipping_idr) // 2  # half the order's goods: 25.000 of 50.000
    assert half == 25000
    db.session.rollback()
    _group_answers_half(group, live_server, samarinda.slug, complaint, half)
    _guest_accepts_by_hand(guest, half)
    db.session.expire_all()
    assert (complaint.status, complaint.resolution, complaint.refund_idr) == ("resolved", "partial_refund", half)
    assert (complaint.refund_state, complaint.bank_account_name) == ("by_hand", "Budi Santoso")
