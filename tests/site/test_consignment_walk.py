"""Consignment on a 360 px phone and a 1366 px desktop: the chair places goods at a supermarket, its staff
report what sold on their page and settle into an invoice. Screenshots in tests/artifacts/consignment/."""

from __future__ import annotations

from app.extensions import db
from app.wholesale.consignment_models import ConsignmentAgreement
from tests.support import ARTIFACTS
from tests.support.buying import stock_of
from tests.support.factories import PASSWORD, token
from tests.support.wholesale import HOTEL

SHOTS = ARTIFACTS / "consignment"


def _signed_in(browser, live_server: str, email: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def test_a_supermarket_reports_consignment_sales_and_gets_the_invoice(app, client, make, live_server, browser):
    from app.wholesale import organisations

    make.user("pembelian@swalayan.example", name="Pak Budi")
    auth = token(client, "pembelian@swalayan.example")
    org_id = client.post("/api/v1/organisations", headers=auth, json=dict(HOTEL, name="Swalayan Segar")).json["id"]
    organisations.verify_org(make.admin(), org_id, 30)
    group = make.group(make.user("ketua@mawar.example"), name="UPPKS Mawar")
    product = make.product(group, name="Amplang Pipih", price_idr=25000, stock=250)
    for width in (360, 1366):
        chair, page = _signed_in(browser, live_server, "ketua@mawar.example", width)
        page.goto(f"{live_server}/groups/{group.slug}/consignment")
        if width == 360:
            page.select_option("select[name=organisation_id]", str(org_id))
            page.fill("input[name=commission_percent]", "20")
            page.click('button:has-text("Usulkan")')
            page.wait_for_selector("text=Perjanjian diusulkan")
            store, spage = _signed_in(browser, live_server, "pembelian@swalayan.example", width)
            spage.goto(f"{live_server}/business")
            spage.click('main a:has-text("UPPKS Mawar")')
            spage.click('button:has-text("Terima perjanjian")')
            spage.wait_for_selector("text=Perjanjian konsinyasi diterima")
            page.reload()
            page.click("text=Titipkan barang")
            page.fill("form[action$='/place'] input[name=quantity]", "100")
            page.click("form[action$='/place'] button")
            page.wait_for_selector("text=Barang dititipkan")
            assert stock_of(product) == 150
        else:
            store, spage = _signed_in(browser, live_server, "pembelian@swalayan.example", width)
        _shot(page, "group", width)
        agreement = db.session.query(ConsignmentAgreement).one()
        spage.goto(f"{live_server}/business/consignment/{agreement.id}")
        _shot(spage, "store", width)
        if width == 360:
            spage.fill("input[name^=sold-]", "60")
            spage.click('button:has-text("Laporkan penjualan")')
            spage.wait_for_selector("text=Penjualan dicatat")
            spage.click('button:has-text("Selesaikan dan buat invoice")')
            spage.wait_for_selector("text=Tagihan penjualan konsinyasi dibuat")
            assert "1.200.000" in spage.content()
            _shot(spage, "invoice", width)
        chair.close()
        store.close()
