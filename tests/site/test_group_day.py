"""A day of a demo group on a 360 px phone, as its women do it: each lands on the group's home; the member
lists a product with a photo (fields and taps counted) and ships a hotel's invoiced order to the end; the
treasurer confirms a transfer by the code she reads in her bank app and issues a statement whose QR page a
bank officer opens; the chair books what sold at the market; a buyer reserves for the bazaar with only a
name and a phone number. Screenshots in tests/artifacts/group-day/."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from app.catalog.models import Product
from app.extensions import db
from app.groups.models import Group, Membership
from app.orders.models import Order
from tests.support import ARTIFACTS
from tests.support.browser import pick_place
from tests.support.factories import jpeg

PHONE = {"width": 360, "height": 740}
PASSWORD = "pasar-demo-2026"
SHOTS = ARTIFACTS / "group-day"


def _seed(app) -> Group:
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--no-photos"])
    assert result.exit_code == 0, result.output
    treasurer = db.session.scalars(
        select(Membership).join(Membership.user).where(Membership.role == "treasurer")
    ).first()
    return treasurer.group


def _as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


class Phone:
    """One person's phone: a page at 360 px that signs in and takes screenshots of what she sees."""

    def __init__(self, browser, live_server: str, email: str | None = None):
        self.context = browser.new_context(viewport=PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.url = live_server
        if email:
            self.page.goto(f"{live_server}/login")
            self.page.fill("input[name=email]", email)
            self.page.fill("input[name=password]", PASSWORD)
            self.page.click("main form button[type=submit]")
            self.page.wait_for_load_state()

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name

    def buy(self, product: Product, quantity: int) -> None:
        self.go(f"/p/{product.id}/{product.slug}")
        self.page.fill("input[name=quantity]", str(quantity))
        self.page.click("text=Tambah ke keranjang")
        self.page.wait_for_selector("text=Ditambahkan ke keranjang")
        self.page.click("text=Lanjut ke pembayaran")

    def close(self) -> None:
        self.context.close()


def _lands_home(phone: Phone, group: Group, name: str) -> None:
    assert phone.page.url == f"{phone.url}/groups/{group.slug}", phone.page.url
    phone.page.wait_for_selector("text=Perlu dikerjakan")
    phone.shot(f"home-{name}")


@pytest.mark.sqlite_only
def test_a_groups_day_on_a_phone_as_the_chair_the_treasurer_and_a_member(backend, app, live_server, browser, tmp_path):
    group = _seed(app)
    first = next(
        p
        for p in db.session.scalars(
            select(Product).where(Product.group_id == group.id, Product.status == "active").order_by(Product.id)
        )
        if p.lapsed_permit is None and p.stock >= 40 and p.min_order_qty <= 1
    )

    # a buyer pays by bank transfer to the group's own account, and reads the code to write in the transfer
    buyer = Phone(browser, live_server, "pembeli@pasar.example")
    buyer.buy(first, 2)
    buyer.page.fill("input[name=street]", "Jl. Juanda No. 7")
    pick_place(buyer.page, postal="75124")  # province, kabupaten/kota, kecamatan, postal code: a step each
    buyer.page.check("input[name=payment_method][value=bank_transfer]")
    buyer.page.click("button[value=place]")
    if buyer.page.locator("text=Periksa, lalu tekan Buat pesanan lagi").count():
        buyer.page.click("button[value=place]")  # the total with shipping shown first, then placed
    buyer.page.wait_for_selector("#transfer-code")
    code = buyer.page.inner_text("#transfer-code")
    amount = _as_int(buyer.page.inner_text("#transfer-amount"))
    buyer.shot("buyer-transfer-code")

    # the member lands on the home; money is not hers to confirm; she lists a product with a photo
    member = Phone(browser, live_server, "anggota@pasar.example")
    _lands_home(member, group, "member")
    assert "Anda anggota kelompok ini" in member.page.inner_text("main")
    member.go(f"/groups/{group.slug}/orders?code={code.lower()}")
    assert member.page.locator("text=Dana sudah masuk").count() == 0
    member.go(f"/groups/{group.slug}")
    photo = tmp_path / "IMG_20261130_0815.jpg"
    photo.write_bytes(jpeg((1600, 1200), colour=(190, 140, 60)))
    counted = {"fields": 0, "taps": 0}

    def tap(selector: str) -> None:
        counted["taps"] += 1
        member.page.click(selector)

    def fill(selector: str, value: str) -> None:
        counted["fields"] += 1
        if selector.startswith("select"):
            member.page.select_option(selector, value)
        elif "photos" in selector:
            member.page.set_input_files(selector, value)
        else:
            member.page.fill(selector, value)

    tap("text=Tambah produk")
    fill("input[name=photos]", str(photo))
    fill("input[name=name]", "Amplang Belida Daun Jeruk")
    fill("select[name=category]", "amplang")
    fill("input[name=price_idr]", "18000")
    fill("input[name=stock]", "40")
    member.shot("member-lists-a-product")
    tap("main form button[type=submit]")
    member.page.wait_for_selector("text=Produk tampil di toko.")
    assert counted["fields"] <= 6 and counted["taps"] <= 3, counted
    listed = db.session.scalars(select(Product).where(Product.name == "Amplang Belida Daun Jeruk")).one()
    assert listed.status == "active" and listed.stock == 40

    # the treasurer lands on the home, finds the transfer by the code in her bank app and confirms it
    treasurer = Phone(browser, live_server, "bendahara@pasar.example")
    _lands_home(treasurer, group, "treasurer")
    assert "Anda bendahara kelompok ini" in treasurer.page.inner_text("main")
    treasurer.go(f"/groups/{group.slug}/orders")
    treasurer.page.fill("input[name=code]", " ".join(code.lower()))  # as she reads it, spaces and all
    treasurer.page.click("form.transfer-search button")
    treasurer.page.wait_for_selector("#code-found")
    assert f"Rp{amount:,}".replace(",", ".") in treasurer.page.inner_text("#code-found")
    treasurer.shot("treasurer-finds-the-code")
    treasurer.page.click("text=Dana sudah masuk")
    treasurer.page.wait_for_load_state()
    paid = db.session.scalars(select(Order).where(Order.group_id == group.id).order_by(Order.id.desc())).first()
    db.session.refresh(paid)
    assert paid.status == "paid" and paid.checkout.total_idr == amount

    # the hotel buys on invoice; the member prepares, ships and marks it arrived; the hotel confirms receipt
    hotel = Phone(browser, live_server, "hotel@pasar.example")
    hotel.buy(first, 30)
    hotel.page.click("text=Hotel utama")  # its outlet fills the address
    hotel.page.check("input[name=payment_method][value=invoice]")
    hotel.page.click("button[value=place]")
    if hotel.page.locator("text=Periksa, lalu tekan Buat pesanan lagi").count():
        hotel.page.click("button[value=place]")
    hotel.page.wait_for_selector("text=Ditagih dengan invoice")
    invoiced = db.session.scalars(select(Order).where(Order.group_id == group.id).order_by(Order.id.desc())).first()
    assert invoiced.status == "invoiced"
    member.go(f"/groups/{group.slug}/orders?status=to_ship")

    def in_block(selector: str):
        return member.page.locator(".order-block", has=member.page.locator(f"#order-{invoiced.id}")).locator(selector)

    in_block("button:has-text('Siapkan pesanan')").click()
    member.page.wait_for_load_state()
    in_block("input[name=waybill]").fill("JNE0099887766")  # the courier's waybill, typed at the counter
    in_block("button:has-text('Simpan resi')").click()
    member.page.wait_for_load_state()
    in_block("button:has-text('Tandai sampai')").click()
    member.page.wait_for_load_state()
    db.session.refresh(invoiced)
    assert invoiced.status == "delivered" and invoiced.tracking_number == "JNE0099887766"
    member.shot("member-ships-the-hotels-order")
    hotel.go(f"/checkout/{invoiced.checkout.access_key}")
    hotel.page.click("text=Pesanan sudah saya terima")
    hotel.page.wait_for_load_state()
    db.session.refresh(invoiced)
    assert invoiced.status == "completed"
    hotel.shot("hotel-received")

    # the chair books what sold at the market: the listed product's stock goes down
    chair = Phone(browser, live_server, "ketua@pasar.example")
    _lands_home(chair, group, "chair")
    chair.go(f"/groups/{group.slug}/sales#record")
    chair.page.fill("input[name=place]", "Pasar Segiri")
    chair.page.select_option("select[name='lines-0-product_id']", str(listed.id))
    chair.page.fill("input[name='lines-0-quantity']", "10")
    chair.page.fill("input[name='lines-0-amount_idr']", "180000")
    assert chair.page.is_checked("input[name=reduce_stock]")  # a listed product's stock goes down unless she says
    chair.page.click("text=Simpan catatan")
    chair.page.wait_for_load_state()
    db.session.refresh(listed)
    assert listed.stock == 30
    chair.shot("chair-books-a-market-sale")

    # the treasurer issues a statement; a bank officer opens the page its QR code leads to
    treasurer.go(f"/groups/{group.slug}/statements")
    treasurer.page.click("text=Terbitkan rekap")
    treasurer.page.wait_for_selector(".statement")
    code_of_statement = treasurer.page.inner_text(".statement strong")
    pdf = treasurer.page.request.get(f"{live_server}/groups/{group.slug}/statements/{code_of_statement}.pdf")
    (tmp_path / "rekap.pdf").write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(tmp_path / "rekap.pdf"), "-"], capture_output=True, text=True).stdout
    qr_url = next(w for w in text.split() if w.startswith("http") and code_of_statement in w)
    treasurer.shot("treasurer-issues-a-statement")
    bank = Phone(browser, live_server)
    bank.page.goto(qr_url)
    assert "berlaku" in bank.page.inner_text("main").lower() and group.name in bank.page.inner_text("main")
    bank.shot("bank-officer-opens-the-qr-page")

    # a buyer reserves for the bazaar: a name and a phone number, no address
    guest = Phone(browser, live_server)
    guest.buy(first, 1)
    guest.page.check(f"input[name='ship-{group.slug}'][value^='event:']")
    guest.page.click("button[value=quote]")
    guest.page.wait_for_selector("text=Yang mengambil")
    guest.page.fill("input[name=email]", "tamu.bazar@uji.example")
    guest.page.fill("input[name=phone]", "081355550000")
    guest.page.fill("input[name=name]", "Ibu Yuni")
    guest.page.fill("input[name=ship_phone]", "081355550000")
    guest.page.check("input[name=payment_method][value=at_stand]")
    guest.shot("buyer-reserves-for-the-bazaar")
    guest.page.click("button[value=place]")
    guest.page.wait_for_selector("text=Ibu Yuni")
    reserved = db.session.scalars(select(Order).where(Order.group_id == group.id).order_by(Order.id.desc())).first()
    assert reserved.shipping_method == "event" and reserved.checkout.ship_street == ""
    assert reserved.checkout.payment_method == "at_stand"
    guest.shot("buyer-reserved")
    for phone in (buyer, member, treasurer, hotel, chair, bank, guest):
        phone.close()
