"""A payout on a cheap phone, 360 px wide, no script: the treasurer sees the group's balance and asks for a
payout with one big button; an admin approves it and records the bank's reference; the treasurer sees it
sent, with the reference."""

from __future__ import annotations

from app.extensions import db
from app.groups.models import Membership
from tests.support import ARTIFACTS
from tests.support.factories import PASSWORD

from .payout_helpers import group_with_money

TREASURER = "bendahara.smd@uji.example"


def _signed_in(browser, live_server, email: str):
    page = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_treasurer_asks_for_a_payout_and_sees_it_sent_after_the_admin_records_the_reference(
    app, client, make, live_server, browser
):
    w = group_with_money(client, make)
    treasurer = make.user(TREASURER, name="Ibu Bendahara")
    db.session.add(Membership(group_id=w.group.id, user_id=treasurer.id, role="treasurer"))
    db.session.commit()
    admin = make.admin()
    ARTIFACTS.mkdir(exist_ok=True)
    money = f"{live_server}/groups/{w.group.slug}/money"

    phone = _signed_in(browser, live_server, TREASURER)
    phone.goto(money)
    assert "Bisa dicairkan" in phone.inner_text("#available")
    assert "BRI 0123456789" in phone.inner_text("#payout-bank")
    assert phone.input_value("#amount_idr") == str(w.available)  # all of it, unless she writes less
    _fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "payout-1-treasurer-asks-360.png"), full_page=True)
    phone.click("button.payout-button")
    phone.wait_for_url(f"{money}#payouts")
    assert "Pencairan dana diminta" in phone.inner_text("main")
    row = phone.locator("#payout-list tbody tr").first
    assert "Menunggu persetujuan admin" in row.inner_text()
    shown = phone.inner_text("#available").replace("\xa0", "").replace(" ", "")
    assert "\nRp0\n" in shown  # the money left available at once
    _fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "payout-2-requested-360.png"), full_page=True)

    desk = _signed_in(browser, live_server, admin.email)
    desk.goto(f"{live_server}/admin/payouts")
    card = desk.locator("article[id^=payout-]").first
    assert "UPPKS Mawar" in card.inner_text() and "Pencairan pertama ke rekening ini" in card.inner_text()
    card.locator("button", has_text="Setujui").click()
    desk.wait_for_load_state()
    card = desk.locator("article[id^=payout-]").first
    assert "Disetujui, sedang dikirim" in card.inner_text()
    card.locator("input[name=reference]").fill("BRI 2026-0042-7781")
    _fits(desk)
    desk.screenshot(path=str(ARTIFACTS / "payout-3-admin-records-360.png"), full_page=True)
    card.locator("button", has_text="Catat terkirim").click()
    desk.wait_for_load_state()
    assert "tercatat terkirim" in desk.inner_text("main")

    phone.goto(money)
    row = phone.locator("#payout-list tbody tr").first
    assert "Terkirim ke rekening" in row.inner_text() and "BRI 2026-0042-7781" in row.inner_text()
    assert "Rp" in phone.inner_text("#paid-out")
    _fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "payout-4-treasurer-sees-sent-360.png"), full_page=True)
