"""The treasurer's money page on a cheap phone: 360 px wide, no script, every figure readable."""

from __future__ import annotations

from tests.support import ARTIFACTS
from tests.support.factories import PASSWORD, login

from .helpers import deliver_and_confirm, place


def test_the_chair_reads_the_groups_money_on_a_360_px_phone(app, client, make, live_server, browser):
    body, auth, samarinda, _bengkulu = place(client, make, "bank_transfer")
    login(client, make.admin().email)
    client.post(f"/transfers/{body['id']}/confirm")
    client.post("/logout")
    mine = next(o for o in body["orders"] if o["group"]["slug"] == samarinda.slug)
    deliver_and_confirm(client, auth, mine["id"], "ketua.smd@uji.example")
    page = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ketua.smd@uji.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/groups/{samarinda.slug}")  # she lands on her group's home
    page.goto(f"{live_server}/groups/{samarinda.slug}/money")
    assert "Bisa dicairkan" in page.inner_text("#available")
    assert page.inner_text(f"#order-{mine['id']}").count("Bisa dicairkan") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "group-money-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
