"""The bazaar journey in Chromium on a phone: an officer publishes a bazaar, a group joins and
is accepted, a guest reserves for pick-up there and pays at the stand, the group books what it sold at
the bazaar, and the officer's event page shows it all."""

import re
from datetime import timedelta

import pytest

from app.core.timefmt import today_wib
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.factories import PASSWORD

PHONE = {"width": 360, "height": 740}


def _as(browser, live, email=None):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    if email:
        page.goto(f"{live}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url
    return page


def event_id(app):
    from app.events.models import Event
    from app.extensions import db

    return db.session.scalars(db.select(Event.id)).one()


def _no_overflow(page, what):
    page.wait_for_load_state("load")  # the stylesheets too: a layout before them is not the page's
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], what


@pytest.mark.sqlite_only
def test_bazaar_from_publishing_to_the_officers_figures(backend, app, make, live_server, browser):
    make.user("petugas@uji.example", role="officer", province="64")
    mawar = make.group(make.user("ketua@uji.example", name="Ibu Siti"), name="UPPKS Mawar Sungai Kapih")
    make.product(mawar, name="Amplang Ikan Pipih", price_idr=25000, stock=40)
    out = ARTIFACTS / "bazaar"
    out.mkdir(parents=True, exist_ok=True)

    officer = _as(browser, live_server, "petugas@uji.example")
    officer.goto(f"{live_server}/officer/events/new")
    officer.fill("input[name=name]", "Bazar UPPKS Harganas Kaltim")
    officer.select_option("select[name=kind]", "bazar")
    officer.select_option("select[name=open_to]", "provinsi")
    officer.select_option("select[name=regency]", "64.72")
    officer.fill("input[name=address]", "GOR Segiri, Samarinda")
    officer.fill("input[name=starts_on]", today_wib().isoformat())
    officer.fill("input[name=ends_on]", (today_wib() + timedelta(days=1)).isoformat())
    officer.click("main form button[type=submit]")
    officer.wait_for_selector("h1:has-text('Bazar UPPKS Harganas Kaltim')")
    manage_url = officer.url

    chair = _as(browser, live_server, "ketua@uji.example")
    chair.goto(f"{live_server}/groups/{mawar.slug}/events")
    chair.fill("article[id^=open-] input[name=note]", "Amplang dan kerupuk")
    chair.click("text=Daftar ikut acara")
    chair.wait_for_selector("text=Pendaftaran terkirim")
    chair.wait_for_selector("text=Menunggu keputusan")

    officer.goto(manage_url)
    officer.click("#applicant-" + mawar.slug + " button:has-text('Terima')")
    officer.wait_for_selector("text=Keputusan tersimpan.")

    buyer = _as(browser, live_server)
    buyer.goto(f"{live_server}/acara")
    buyer.click("text=Bazar UPPKS Harganas Kaltim")
    buyer.wait_for_selector("text=UPPKS Mawar Sungai Kapih")
    _no_overflow(buyer, "event page")
    buyer.screenshot(path=str(out / "1-event-page.png"), full_page=True)
    buyer.click("text=Amplang Ikan Pipih")
    buyer.fill("input[name=quantity]", "3")
    buyer.click("text=Tambah ke keranjang")
    buyer.goto(f"{live_server}/checkout")
    fill_guest_checkout(buyer)
    buyer.check("text=Ambil di acara: Bazar UPPKS Harganas Kaltim")
    with buyer.expect_navigation():
        buyer.click("button:has-text('Hitung ongkir')")
    assert buyer.is_checked(f"input[value='event:{event_id(app)}']")  # the choice survives the recount
    buyer.check("input[name=payment_method][value=at_stand]")
    assert "Total: Rp75.000" in buyer.inner_text("#total")  # no shipping for a pick-up at the bazaar
    _no_overflow(buyer, "checkout")
    buyer.screenshot(path=str(out / "2-checkout.png"), full_page=True)
    with buyer.expect_navigation():
        buyer.click("button:has-text('Buat pesanan')")
    buyer.wait_for_selector("h2:has-text('Bayar di stan saat mengambil')")
    receipt = buyer.inner_text("main")
    assert "Rp75.000" in receipt and "Diambil di: Bazar UPPKS Harganas Kaltim" in receipt
    number = re.search(r"Tunjukkan nomor pesanan (PU\S+) di stan UPPKS Mawar", receipt).group(1)
    buyer.screenshot(path=str(out / "3-receipt.png"), full_page=True)

    chair.goto(f"{live_server}/groups/{mawar.slug}/orders")
    chair.wait_for_selector(f"text={number}")
    chair.click("text=Sudah dibayar di stan")
    chair.wait_for_selector("text=Ditandai lunas di stan.")
    chair.goto(f"{live_server}/groups/{mawar.slug}/sales")
    chair.select_option("select[name=event_id]", label="Bazar UPPKS Harganas Kaltim")
    chair.fill("input[name='lines-0-name']", "Amplang curah")
    chair.fill("input[name='lines-0-quantity']", "12")
    chair.fill("input[name='lines-0-amount_idr']", "300000")
    chair.click("main form button[type=submit]")
    chair.wait_for_selector("text=Penjualan dicatat.")
    assert "Bazar UPPKS Harganas Kaltim" in chair.inner_text("main")
    _no_overflow(chair, "sales book")

    officer.goto(manage_url)
    stats = {
        k: officer.inner_text(f"[data-stat={k}]")
        for k in ("taking_part", "offline_idr", "collected_idr", "reserved_idr")
    }
    assert stats == {"taking_part": "1", "offline_idr": "Rp300.000", "collected_idr": "Rp75.000", "reserved_idr": "Rp0"}
    _no_overflow(officer, "officer's event page")
    officer.screenshot(path=str(out / "4-officer-figures.png"), full_page=True)
