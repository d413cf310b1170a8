"""A guest pays a two-group cart by QRIS in Chromium on a phone: the page shows the QR code,
the buyer's bank app pays (the fake Midtrans settles and sends its signed notification to the running
app), and the order page then shows both groups' orders paid."""

import pytest

from tests.fakes.midtrans_server import FakeMidtrans
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.buying import two_groups

PHONE = {"width": 360, "height": 740}


@pytest.mark.sqlite_only
def test_a_guest_pays_two_groups_by_qris(backend, app, make, live_server, browser):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    with FakeMidtrans("SB-Mid-server-uji", notify_url=f"{live_server}/api/v1/payments/midtrans/notification") as fake:
        app.config.update(MIDTRANS_SERVER_KEY=fake.server_key, MIDTRANS_API_URL=fake.url)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(20000)
        for product, qty in ((amplang, "3"), (keripik, "2")):
            page.goto(f"{live_server}/p/{product.id}/{product.slug}")
            page.fill("input[name=quantity]", qty)
            page.click("text=Tambah ke keranjang")
        page.goto(f"{live_server}/checkout")
        fill_guest_checkout(page)
        with page.expect_navigation():
            page.click("button:has-text('Hitung ongkir')")
        total = page.inner_text("#total")
        assert "Rp154.000" in total  # 109.000 of goods, 10.000 + 35.000 shipping
        page.check("input[name=payment_method][value=qris]")
        with page.expect_navigation():
            page.click("button:has-text('Buat pesanan')")
        qr = page.locator("img.qris")
        assert qr.count() == 1 and qr.evaluate("i => i.naturalWidth > 0")
        assert "Rp154.000" in page.inner_text("#midtrans-pay") and "QRIS" in page.inner_text("#payment-method")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        out = ARTIFACTS / "qris"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "1-qris.png"), full_page=True)
        (order_id,) = fake.transactions
        assert fake.transactions[order_id]["gross_amount"] == "154000.00"
        assert fake.pay(order_id) == 200  # the bank app pays; Midtrans notifies the app
        page.reload()
        badges = page.locator("article[id^=order-] .badge")
        assert badges.count() == 2 and all(b == "Dibayar" for b in badges.all_inner_texts()), badges.all_inner_texts()
        assert page.locator("img.qris").count() == 0  # nothing left to pay
        page.screenshot(path=str(out / "2-paid.png"), full_page=True)
        context.close()
