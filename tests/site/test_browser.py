"""A member signs in, adds a product with a photo, and finds it by search, in real Chromium."""

import pytest

from app.core.timefmt import today_wib
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout, pick_place
from tests.support.factories import PASSWORD, jpeg


@pytest.mark.sqlite_only
def test_member_adds_product_with_photo_and_finds_it(backend, app, make, live_server, browser, tmp_path):
    chair = make.user("ketua@uji.example", name="Ibu Siti")
    group = make.group(chair, name="UPPKS Mawar Sungai Kapih")
    photo = tmp_path / "amplang.jpg"
    photo.write_bytes(jpeg((1600, 1200), colour=(190, 110, 40)))

    page = browser.new_page(viewport={"width": 412, "height": 915})  # a common Android phone
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ketua@uji.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/groups/{group.slug}")  # the chair lands on her group's home
    assert "Selamat datang, Ibu Siti." in page.content()

    page.click("text=Tambah produk")
    page.set_input_files("input[name=photos]", str(photo))
    page.fill("input[name=name]", "Amplang Ikan Belida Istimewa")
    page.select_option("select[name=category]", "amplang")
    page.fill("input[name=price_idr]", "32500")
    page.fill("input[name=stock]", "60")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Produk tampil di toko.")
    assert page.locator("#photos img").count() == 1

    # the details come after, each a step of its own on the product's page
    page.click("summary:has-text('Keterangan, komposisi dan berat')")
    page.fill("textarea[name=description]", "Amplang renyah dari ikan belida Sungai Mahakam.")
    page.fill("input[name=net_weight_g]", "250")
    page.click("summary:has-text('Harga grosir')")
    page.fill("input[name='price_tiers-0-min_qty']", "12")
    page.fill("input[name='price_tiers-0-unit_price_idr']", "30000")
    page.click("summary:has-text('Izin edar dan sertifikat')")
    page.select_option("select[name='permits-0-type']", "pirt")
    page.fill("input[name='permits-0-number']", "206647201002925")
    page.click("#izin button[type=submit]")
    page.wait_for_selector("text=Perubahan disimpan.")

    page.fill("header input[name=q]", "belida istimewa")
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("text=Amplang Ikan Belida Istimewa")
    card = page.locator("article.card", has_text="Amplang Ikan Belida Istimewa")
    assert "Rp32.500" in card.inner_text()
    image = card.locator("img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert int(image.get_attribute("width")) > 0 and int(image.get_attribute("height")) > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-search.png"), full_page=True)

    card.locator("a").first.click()
    page.wait_for_selector("h1:has-text('Amplang Ikan Belida Istimewa')")
    text = page.inner_text("main")
    assert "Rp30.000" in text and "206647201002925" in text and "Diajukan, menunggu verifikasi" in text
    page.screenshot(path=str(ARTIFACTS / "browser-product.png"), full_page=True)


@pytest.mark.sqlite_only
def test_buyer_pays_two_groups_by_card_through_stripe_js(backend, stripe_app, make, browser):
    from tests.support.buying import two_groups

    samarinda, bengkulu, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example", name="Budi")
    live = stripe_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 412, "height": 915})
    page.set_default_timeout(20000)
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live}/login")
    page.fill("input[name=email]", "pembeli@uji.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live}/")
    for product, qty in ((amplang, "2"), (keripik, "2")):
        page.goto(f"{live}/p/{product.id}/{product.slug}")
        page.fill("input[name=quantity]", qty)
        page.click("text=Tambah ke keranjang")
        page.wait_for_selector("text=Ditambahkan ke keranjang")
    assert "UPPKS Mawar" in page.content() and "UPPKS Bunga Tanjung" in page.content()
    page.click("text=Lanjut ke pembayaran")
    page.fill("input[name=street]", "Jl. Pahlawan No. 5")
    pick_place(page, postal="75123")
    page.fill("input[name=ship_phone]", "081234500000")
    page.click("button[value=quote]")
    page.wait_for_selector("text=Rp35.000")  # Bengkulu to Samarinda, across islands
    page.check("input[name=payment_method][value=stripe]")
    page.click("button[value=place]")
    page.wait_for_selector("#card-element input")
    page.fill("#card-element input[placeholder=number]", "4242424242424242")
    page.fill("#card-element input[placeholder=exp_month]", "12")
    page.fill("#card-element input[placeholder=exp_year]", "30")
    page.fill("#card-element input[placeholder=cvc]", "123")
    page.fill("#card-element input[placeholder=postal_code]", "75123")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-card-form.png"), full_page=True)
    page.click("#card-pay")
    page.wait_for_selector("text=sedang dikonfirmasi")
    for _ in range(40):  # the webhook comes about a second later
        page.reload()
        if page.locator("article .badge", has_text="Dibayar").count() == 2:
            break
        page.wait_for_timeout(500)
    assert page.locator("article .badge", has_text="Dibayar").count() == 2
    page.screenshot(path=str(ARTIFACTS / "browser-card-paid.png"), full_page=True)
    page.goto(f"{live}/orders")
    assert page.locator(".order-list .badge", has_text="Dibayar").count() == 2


def _sign_in(browser, live, email):
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))  # the shop, or a group's home for its members
    return page


@pytest.mark.sqlite_only
def test_hotel_pools_two_groups_offers_and_opens_the_invoice(backend, app, make, live_server, browser, tmp_path):
    import subprocess
    from datetime import timedelta

    from app.wholesale import organisations as services
    from tests.support.wholesale import OUTLET, amplang_groups

    a, b, _pa, _pb = amplang_groups(make)
    staff = make.user("pembelian@hotel.example", name="Bu Rina")
    org = services.register_org(
        staff, {"name": "Hotel Mesra Samarinda", "type": "hotel", "npwp": "012345678901000", "regency": "64.72"}
    )
    services.verify_org(make.admin(), org.id, 30)
    services.add_address(staff, OUTLET)

    hotel = _sign_in(browser, live_server, "pembelian@hotel.example")
    hotel.goto(f"{live_server}/business/quotes/new")
    hotel.select_option("select[name=category]", "amplang")
    hotel.fill("textarea[name=description]", "Amplang untuk 300 kamar tamu")
    hotel.fill("input[name=quantity]", "300")
    hotel.fill("input[name=needed_by]", (today_wib() + timedelta(days=14)).isoformat())
    hotel.select_option("select[name=delivery_regency]", "64.72")
    hotel.click("main form button[type=submit]")
    hotel.wait_for_selector("text=Permintaan penawaran dikirim ke 2 kelompok")
    quote_url = hotel.url

    for email, qty, price in (("ketua.a@uji.example", "200", "21000"), ("ketua.b@uji.example", "150", "20500")):
        group_page = _sign_in(browser, live_server, email)
        group_page.goto(quote_url)
        group_page.fill("input[name=unit_price_idr]", price)
        group_page.fill("input[name=quantity]", qty)
        group_page.fill("input[name=valid_until]", (today_wib() + timedelta(days=7)).isoformat())
        group_page.click("text=Kirim penawaran")
        group_page.wait_for_selector("text=Penawaran dikirim.")

    hotel.goto(quote_url)
    boxes = hotel.locator("input[name=offer_id]")
    assert boxes.count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    hotel.screenshot(path=str(ARTIFACTS / "browser-offers.png"), full_page=True)
    # the total each offer shows (goods and shipping) is what its order and invoice will say
    import re

    from app.extensions import db
    from app.wholesale.models import Invoice

    as_int = lambda text: int(re.sub(r"\D", "", text))  # noqa: E731
    shown = sorted(as_int(t) for t in hotel.locator("article.offer strong", has_text="Total").all_inner_texts())
    assert len(shown) == 2
    for i in range(2):
        boxes.nth(i).check()
    hotel.click("text=Terima penawaran yang dipilih")
    hotel.wait_for_selector("text=Penawaran diterima: 2 pesanan dibuat.")
    assert hotel.locator("article .badge", has_text="Ditagih dengan invoice").count() == 2
    assert as_int(hotel.inner_text("#total")) == sum(shown)
    assert sorted(i.amount_idr for i in db.session.scalars(db.select(Invoice))) == shown

    for email, slug in (("ketua.a@uji.example", a.slug), ("ketua.b@uji.example", b.slug)):
        group_page = _sign_in(browser, live_server, email)
        group_page.goto(f"{live_server}/groups/{slug}/orders")
        assert group_page.locator("article .badge", has_text="Ditagih dengan invoice").count() == 1
        group_page.goto(f"{live_server}/groups/{slug}/quotes")
        assert "INV/" in group_page.content()

    hotel.goto(f"{live_server}/business")
    hotel.click("a:has-text('INV/')")
    href = hotel.get_attribute("a:has-text('Unduh PDF')", "href")
    response = hotel.request.get(f"{live_server}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf_path = tmp_path / "invoice.pdf"
    pdf_path.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf_path), str(ARTIFACTS / "invoice")], check=True
    )
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout
    for words in (
        "INVOICE",
        "Jatuh tempo",
        "Hotel Mesra Samarinda",
        "NPWP 01.234.567.8-901.000",
        "Amplang",
        "TOTAL",
        "PO",
    ):
        assert words in text, words


@pytest.mark.sqlite_only
def test_the_total_on_the_page_is_the_total_charged(backend, app, make, live_server, browser):
    """A guest on a 360 px phone fills the address, then has one group's goods sent by courier too and
    presses "Buat pesanan" at once, without "Hitung ongkir": nothing is placed until the page has shown
    the total with that shipping, and the order then costs exactly what the page said."""
    import re

    from app.extensions import db
    from app.orders.models import Checkout
    from tests.support.buying import two_groups

    _s, bengkulu, amplang, keripik = two_groups(make)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.set_default_timeout(15000)
    for product, qty in ((amplang, "2"), (keripik, "2")):
        page.goto(f"{live_server}/p/{product.id}/{product.slug}")
        page.fill("input[name=quantity]", qty)
        page.click("text=Tambah ke keranjang")
        page.wait_for_selector("text=Ditambahkan ke keranjang")
    page.click("text=Lanjut ke pembayaran")
    first = page.inner_text("#total")
    page.check(f"input[name='ship-{bengkulu.slug}'][value=pickup]")
    fill_guest_checkout(page, ship_phone="081234500000")  # the total shown: Bengkulu's goods picked up
    page.check(f"input[name='ship-{bengkulu.slug}'][value=courier]")
    page.click("button[value=place]")
    page.wait_for_selector("text=Periksa, lalu tekan Buat pesanan lagi")
    shown = page.inner_text("#total")
    assert shown != first and "Rp129.000" in shown  # 50.000 + 34.000 goods, 10.000 + 35.000 shipping
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "checkout-total-refreshed-360.png"), full_page=True)
    page.click("button[value=place]")
    page.wait_for_selector("text=Transfer tepat")
    charged = page.inner_text("#total")
    checkout = db.session.scalars(db.select(Checkout)).one()
    as_int = lambda text: int(re.sub(r"\D", "", text))  # noqa: E731
    assert as_int(charged) == as_int(shown) == checkout.total_idr == 129000
    # how to pay, as big as a phone shows it: the exact amount, the account and the code for the transfer's description
    code = page.inner_text("#transfer-code")
    assert code == checkout.payment_rows[0].transfer_code and len(code) == 6
    assert as_int(page.inner_text("#transfer-amount")) == 129000
    page.locator("#transfer-howto").screenshot(path=str(ARTIFACTS / "transfer-howto-360.png"))
    page.screenshot(path=str(ARTIFACTS / "checkout-placed-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
