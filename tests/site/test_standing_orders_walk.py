"""On a 360 px phone, in Chromium: a hotel sets a weekly standing order with its PO number, and the group
confirms the first proposed order, a few packs fewer, from its quotes page."""

from datetime import timedelta

import pytest

from app.core.timefmt import today_wib
from app.extensions import db
from app.wholesale import proposals
from app.wholesale.standing_models import Proposal
from tests.support import ARTIFACTS
from tests.support.factories import PASSWORD


def _phone(browser, live, email, screen):
    page = browser.new_context(viewport=screen).new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    return page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "screen", [{"width": 360, "height": 740}, {"width": 1366, "height": 900}], ids=["phone-360", "desktop-1366"]
)
def test_a_hotel_sets_a_weekly_standing_order_and_the_group_confirms_and_ships_the_first_proposal(
    backend, app, make, live_server, browser, screen, tmp_path
):
    from app.wholesale import organisations as services
    from tests.support.wholesale import OUTLET, amplang_groups

    a, _b, pa, _pb = amplang_groups(make)
    staff = make.user("pembelian@hotel.example", name="Bu Rina")
    org = services.register_org(
        staff, {"name": "Hotel Mesra Samarinda", "type": "hotel", "npwp": "012345678901000", "regency": "64.72"}
    )
    services.verify_org(make.admin(), org.id, 30)
    services.add_address(staff, OUTLET)

    hotel = _phone(browser, live_server, "pembelian@hotel.example", screen)
    hotel.goto(f"{live_server}/business")
    hotel.click("#new-standing")
    hotel.select_option("select[name=group]", a.slug)
    hotel.click("main form button[type=submit]")
    hotel.fill(f"input[name=qty_{pa.id}]", "40")
    hotel.check("input[name=frequency][value=weekly]")
    hotel.select_option("select[name=weekday]", str((today_wib() + timedelta(days=3)).isoweekday()))
    hotel.fill("input[name=po_number]", "PO/HM/2026/0142")
    assert _fits(hotel)
    hotel.screenshot(path=str(ARTIFACTS / f"standing-new-{screen['width']}.png"), full_page=True)
    hotel.click("#save-standing")
    hotel.wait_for_selector("text=Pengiriman pertama")
    assert _fits(hotel)
    hotel.screenshot(path=str(ARTIFACTS / f"standing-business-{screen['width']}.png"), full_page=True)

    assert proposals.make_cycles(today_wib()) == 1
    group = _phone(browser, live_server, "ketua.a@uji.example", screen)
    group.goto(f"{live_server}/groups/{a.slug}")
    with group.expect_navigation():
        group.click("#todo-proposals")
    group.wait_for_selector("text=Pesanan rutin menunggu konfirmasi")
    proposal = db.session.scalar(db.select(Proposal))
    proposal_id, line_id = proposal.id, proposal.lines[0].id
    db.session.rollback()  # no read left open while the server writes
    assert _fits(group)
    group.screenshot(path=str(ARTIFACTS / f"standing-proposal-{screen['width']}.png"), full_page=True)
    group.fill(f"input[name=qty_{line_id}]", "30")  # after the full-page screenshot, which resizes the page
    with group.expect_navigation():
        group.click(f"#confirm-proposal-{proposal_id}")
    group.wait_for_selector("text=Pesanan rutin dikonfirmasi")
    group.screenshot(path=str(ARTIFACTS / f"standing-confirmed-{screen['width']}.png"), full_page=True)
    group.goto(f"{live_server}/groups/{a.slug}/orders")
    assert "PO/HM/2026/0142" in group.content()
    group.screenshot(path=str(ARTIFACTS / f"standing-group-orders-{screen['width']}.png"), full_page=True)
    # the group prepares it and ships it with the waybill, and prints the delivery note that travels with it
    from app.orders.models import Order

    order = db.session.scalars(db.select(Order).where(Order.group_id == a.id)).one()
    db.session.rollback()
    block = group.locator(".order-block", has=group.locator(f"#order-{order.id}"))
    with group.expect_navigation():
        block.locator("button:has-text('Siapkan pesanan')").click()
    block = group.locator(".order-block", has=group.locator(f"#order-{order.id}"))
    block.locator("input[name=waybill]").fill("JNE7700112233")
    with group.expect_navigation():
        block.locator("button:has-text('Simpan resi')").click()
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "shipped"
    db.session.rollback()
    note = group.request.get(f"{live_server}/orders/{order.id}/delivery-note.pdf")
    assert note.status == 200 and note.headers["content-type"] == "application/pdf"
    (tmp_path / "sj.pdf").write_bytes(note.body())
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "sj.pdf"), "-"], capture_output=True, text=True).stdout
    assert "SURAT JALAN" in text and "PO/HM/2026/0142" in text and "JNE7700112233" in text
