"""The checkout's address picker, without JavaScript: province, then its kabupaten/kota, then the kecamatan,
then a postal code of that kecamatan; a wrong pair is refused at the step that first sees it."""

import re

import pytest

from app.extensions import db
from app.orders.models import Checkout
from tests.support import ARTIFACTS
from tests.support.browser import fill_guest_checkout
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token

TYPED = {
    "email": "tamu@uji.example",
    "phone": "081299990000",
    "name": "Budi Santoso",
    "ship_phone": "081234500000",
    "street": "Jl. Pahlawan No. 5",
    "village": "Sidodadi",
    "payment_method": "bank_transfer",
    "note": "Tolong dibungkus rapi",
}
PAGE_LIMIT = 12_000  # bytes, without script; the flat list of 514 kabupaten/kota weighed 33 KB


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option(?: selected)? value="([^"]+)"', select.group(1)) if select else []


def step(client, form: dict, **picked) -> tuple[dict, str]:
    """Press "Lanjut" with these choices; the next form is what the page gives back (hidden fields too)."""
    form = dict(form, **picked, action="region")
    response = client.post("/checkout", data=form)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    form["picked"] = re.search(r'name="picked"[^>]*value="([^"]*)"', html).group(1)
    return form, html


def shown_total(html: str) -> int:
    return int(re.search(r'name="shown_total" value="(\d+)"', html).group(1))


def test_a_guest_picks_province_kabupaten_kecamatan_and_postal_code_step_by_step_and_places_the_order(client, make):
    _s, bengkulu, amplang, keripik = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "3"})
    client.post("/cart/add", data={"product_id": keripik.id, "quantity": "2"})
    first = client.get("/checkout").get_data(as_text=True)
    assert len(options(first, "province")) == 38 and 'name="regency"' not in first  # province first
    assert "Pilih provinsi, lalu tekan Lanjut." in first

    form, html = step(client, dict(TYPED, **{f"ship-{bengkulu.slug}": "courier"}), province="64")
    assert options(html, "regency")[:2] == ["64.01", "64.02"] and len(options(html, "regency")) == 10
    assert "Kota Samarinda" in html and "Kota Bandung" not in html  # only Kalimantan Timur's
    assert 'name="district"' not in html
    assert "Rp35.000" in html and "Rp10.000" in html  # shipping is priced from the province on
    for name in ("name", "ship_phone", "street", "village", "email", "phone"):
        assert f'value="{TYPED[name]}"' in html, name  # what was typed stays
    assert "Tolong dibungkus rapi" in html

    form, html = step(client, form, regency="64.72")
    assert "Samarinda Ulu" in options(html, "district") and "Coblong" not in html
    assert 'name="postal_code"' not in html

    form, html = step(client, form, district="Samarinda Ulu")
    assert options(html, "postal_code") == ["75122", "75123", "75124", "75128"]  # the kecamatan's, as choices

    placed = client.post(
        "/checkout", data=dict(form, postal_code="75123", action="place", shown_total=shown_total(html))
    )
    assert placed.status_code == 302, placed.get_data(as_text=True)
    checkout = db.session.scalars(db.select(Checkout)).one()
    assert (checkout.ship_province_code, checkout.ship_regency_code) == ("64", "64.72")
    assert (checkout.ship_district, checkout.ship_postal_code, checkout.total_idr) == ("Samarinda Ulu", "75123", 154000)


def test_a_kecamatan_with_one_postal_code_has_it_chosen_and_one_with_many_asks_it_typed(client, make):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    form, _html = step(client, TYPED, province="11")
    form, _html = step(client, form, regency="11.01")
    form, html = step(client, form, district="Bakongan")  # one postal code: 23773
    assert options(html, "postal_code") == ["23773"] and '<option selected value="23773">' in html
    many = max(((d, len(c)) for d, c in _postal_table().items()), key=lambda pair: pair[1])[
        0
    ]  # the kecamatan with the most postal codes (31)
    regency, province = many.rsplit(".", 1)[0], many.split(".")[0]
    form, _html = step(client, TYPED, province=province)
    form, _html = step(client, form, regency=regency)
    from app.core import regions

    name = regions.district(many).name
    form, html = step(client, form, district=name)
    assert '<input id="postal_code" name="postal_code"' in html and 'list="postal_code-list"' in html
    wrong = client.post("/checkout", data=dict(form, postal_code="10110", action="quote"))
    assert wrong.status_code == 422
    assert f"Kode pos 10110 bukan kode pos Kecamatan {name}" in wrong.get_data(as_text=True)


def _postal_table():
    from app.core import regions

    return {
        d.code: regions.postal_codes_of(d.code)
        for p in regions.provinces()
        for r in p.regencies
        for d in regions.districts_of(r.code)
    }


@pytest.mark.parametrize(
    "picked, field, message",
    [
        (  # the province changed, the kabupaten/kota kept: "Hitung ongkir" says so, before "Buat pesanan"
            {"province": "32", "regency": "64.72", "district": "Samarinda Ulu", "postal_code": "75123"},
            "province",
            "Kota Samarinda tidak berada di Provinsi Jawa Barat: pilih kabupaten/kota lagi.",
        ),
        (
            {"province": "64", "regency": "64.72", "district": "Coblong", "postal_code": "40131"},
            "district",
            "Kecamatan ini tidak ada di Kota Samarinda.",
        ),
        (
            {"province": "64", "regency": "64.72", "district": "Samarinda Ulu", "postal_code": "40131"},
            "postal_code",
            "Kode pos 40131 bukan kode pos Kecamatan Samarinda Ulu (75122, 75123, 75124, 75128).",
        ),
    ],
)
def test_a_wrong_pair_is_refused_at_hitung_ongkir_with_the_message_on_the_field(client, make, picked, field, message):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = client.post("/checkout", data=dict(TYPED, **picked, action="quote"))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f'<span class="field-error" id="{field}-error">{message}</span>' in html
    assert f'<a href="#{field}">' in html  # the summary at the top leads to it
    placed = client.post("/checkout", data=dict(TYPED, **picked, action="place", shown_total=shown_total(html)))
    assert placed.status_code == 422 and message in placed.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 0


def test_changing_the_province_with_lanjut_starts_the_kabupaten_again_without_an_error(client, make):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    form, _html = step(client, TYPED, province="64")
    form, _html = step(client, form, regency="64.72")
    form, html = step(client, form, district="Samarinda Ulu")
    form, html = step(client, form, province="32")  # Jawa Barat: the old kabupaten/kota is let go
    assert "field-error" not in html and 'name="district"' not in html
    assert "Kota Bandung" in html and len(options(html, "regency")) == 27
    assert form["picked"] == "32||"


def test_a_saved_address_opens_the_picker_at_its_postal_code(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example", name="Budi")
    login(client, "pembeli@uji.example")
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    api = app.test_client()
    auth = token(api, "pembeli@uji.example")
    assert api.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 1)])).status_code == 201
    html = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'<option selected value="64">Kalimantan Timur</option>', html)
    assert re.search(r'<option selected value="64.72">Kota Samarinda</option>', html)
    assert '<option selected value="75123">' in html


@pytest.mark.parametrize(
    "change, field",
    [
        ({"regency": "64.72", "province": "32"}, "shipping_address.province"),
        ({"district": "Coblong"}, "shipping_address.district"),
        ({"postal_code": "40131"}, "shipping_address.postal_code"),
    ],
)
def test_the_api_refuses_a_wrong_pair_on_its_field(client, make, change, field):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = checkout_body([(amplang.id, 1)])
    body["shipping_address"].update(change)
    response = client.post("/api/v1/checkouts", headers=auth, json=body)
    assert response.status_code == 422 and list(response.json["errors"]) == [field], response.json
    ok = checkout_body([(amplang.id, 1)])
    ok["shipping_address"].update(district="64.72.03", postal_code="75128")  # a kecamatan's code is taken too
    placed = client.post("/api/v1/checkouts", headers=auth, json=ok)
    assert placed.status_code == 201, placed.json


def test_the_checkout_page_stays_small_at_every_step(client, make):
    _s, _b, amplang, keripik = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": "3"})
    client.post("/cart/add", data={"product_id": keripik.id, "quantity": "2"})
    sizes = [len(client.get("/checkout").get_data())]
    # Jawa Barat and Kabupaten Bogor: among the longest lists there are (27 kabupaten/kota, 40 kecamatan)
    form, html = step(client, TYPED, province="32")
    sizes.append(len(html.encode()))
    form, html = step(client, form, regency="32.01")
    sizes.append(len(html.encode()))
    form, html = step(client, form, district="Cibinong")
    sizes.append(len(html.encode()))
    assert max(sizes) < PAGE_LIMIT, sizes
    assert "<script" not in html


@pytest.mark.sqlite_only
def test_a_guest_on_a_360px_phone_without_javascript_picks_the_address_and_orders(
    backend, app, make, live_server, browser
):
    _s, _b, amplang, keripik = two_groups(make)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    for product, qty in ((amplang, "3"), (keripik, "2")):
        page.goto(f"{live_server}/p/{product.id}/{product.slug}")
        page.fill("input[name=quantity]", qty)
        with page.expect_navigation():
            page.click("text=Tambah ke keranjang")
    page.goto(f"{live_server}/checkout")
    out = ARTIFACTS / "address-picker"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "1-province.png"), full_page=True)
    fill_guest_checkout(page)  # types, then province, Lanjut, kabupaten/kota, Lanjut, kecamatan, Lanjut, postal code
    assert page.input_value("input[name=street]") == "Jl. Pahlawan No. 5"  # kept through three steps
    assert page.input_value("select[name=postal_code]") == "75123"
    assert "Rp154.000" in page.inner_text("#total")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("fieldset", has_text="Alamat pengiriman").screenshot(path=str(out / "2-picked.png"))
    page.select_option("select[name=province]", "32")  # changed, but "Lanjut" not pressed
    with page.expect_navigation():
        page.click("button:has-text('Hitung ongkir')")
    assert "Kota Samarinda tidak berada di Provinsi Jawa Barat" in page.inner_text("#province-error")
    assert page.input_value("input[name=street]") == "Jl. Pahlawan No. 5"
    page.screenshot(path=str(out / "3-wrong-pair.png"), full_page=True)
    page.select_option("select[name=province]", "64")
    with page.expect_navigation():
        page.click("button[name=action][value=region]")
    page.select_option("select[name=regency]", "64.72")
    with page.expect_navigation():
        page.click("button[name=action][value=region]")
    page.select_option("select[name=district]", "Samarinda Ulu")
    with page.expect_navigation():
        page.click("button[name=action][value=region]")
    page.select_option("select[name=postal_code]", "75123")
    with page.expect_navigation():
        page.click("button[value=place]")
    page.wait_for_selector("text=Transfer tepat")
    checkout = db.session.scalars(db.select(Checkout)).one()
    assert (checkout.ship_district, checkout.ship_postal_code, checkout.total_idr) == ("Samarinda Ulu", "75123", 154000)
    page.screenshot(path=str(out / "4-placed.png"), full_page=True)
    context.close()


def test_a_business_buyer_adds_an_outlet_with_the_same_picker(client, make):
    from app.wholesale.models import DeliveryAddress
    from tests.support.wholesale import verified_hotel

    verified_hotel(client, make)
    login(client, "pembelian@hotel.example")
    page = client.get("/business").get_data(as_text=True)
    assert len(options(page, "province")) == 38 and 'name="regency"' not in page
    outlet = {"label": "Dapur", "name": "Pak Amin", "phone": "0541 123457", "street": "Jl. Mulawarman 2"}

    def lanjut(form, **picked):
        form = dict(form, **picked, action="region")
        response = client.post("/business/addresses", data=form)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and 'id="outlet" open' in html and 'value="Jl. Mulawarman 2"' in html
        return dict(form, picked=re.search(r'name="picked"[^>]*value="([^"]*)"', html).group(1)), html

    form, html = lanjut(outlet, province="64")
    assert len(options(html, "regency")) == 10
    form, html = lanjut(form, regency="64.71")  # Kota Balikpapan
    form, html = lanjut(form, district="Balikpapan Kota")
    codes = options(html, "postal_code")
    wrong = client.post("/business/addresses", data=dict(form, postal_code="75123", action=""))
    assert wrong.status_code == 422 and "Kode pos 75123 bukan kode pos Kecamatan Balikpapan Kota" in wrong.get_data(
        as_text=True
    )
    saved = client.post("/business/addresses", data=dict(form, postal_code=codes[0], action=""))
    assert saved.status_code == 302
    row = db.session.scalars(db.select(DeliveryAddress).where(DeliveryAddress.label == "Dapur")).one()
    assert (row.province_code, row.regency_code, row.district, row.postal_code) == (
        "64",
        "64.71",
        "Balikpapan Kota",
        codes[0],
    )
