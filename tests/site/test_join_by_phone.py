"""A woman with no e-mail, on a 360 px phone, signs up with her phone number (the code read from what the
fake WhatsApp Cloud API received), joins her group by the chair's link, the chair confirms, and she lands
on her group's home. In real Chromium."""

import pytest

from tests.support import ARTIFACTS
from tests.support.factories import PASSWORD

PHONE = {"width": 360, "height": 740}


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


@pytest.mark.sqlite_only
def test_a_woman_without_email_joins_her_group_by_the_chairs_link(backend, app, make, live_server, whatsapp, browser):
    chair = make.user("ketua@uji.example", name="Ibu Ketua")
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
