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


def _phone(browser, live, email):
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
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
def test_a_hotel_sets_a_weekly_standing_order_and_the_group_confirms_the_first_proposal(
    backend, app, make, live_server, browser
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

    hotel = _phone(browser, live_server, "pembelian@hotel.example")
    hotel.goto(f"{live_server}/business")
    hotel.click("#new-standing")
    hotel.select_option("select[name=group]", a.slug)
    hotel.click("main form button[type=submit]")
    hotel.fill(f"input[name=qty_{pa.id}]", "40")
    hotel.check("input[name=frequency][value=weekly]")
    hotel.select_option("select[name=weekday]", str((today_wib() + timedelta(days=3)).isoweekday()))
    hotel.fill("input[name=po_number]", "PO/HM/2026/0142")
    assert _fits(hotel)
    hotel.screenshot(path=str(ARTIFACTS / "standing-new-360.png"), full_page=True)
    hotel.click("#save-standing")
    hotel.wait_for_selector("text=Pengiriman pertama")
    assert _fits(hotel)
    hotel.screenshot(path=str(ARTIFACTS / "standing-business-360.png"), full_page=True)

    assert proposals.make_cycles(today_wib()) == 1
    group = _phone(browser, live_server, "ketua.a@uji.example")
    group.goto(f"{live_server}/groups/{a.slug}")
    with group.expect_navigation():
        group.click("#todo-proposals")
    group.wait_for_selector("text=Pesanan rutin menunggu konfirmasi")
    proposal = db.session.scalar(db.select(Proposal))
    proposal_id, line_id = proposal.id, proposal.lines[0].id
    db.session.rollback()  # no read left open while the server writes
    assert _fits(group)
    group.screenshot(path=str(ARTIFACTS / "standing-proposal-360.png"), full_page=True)
    group.fill(f"input[name=qty_{line_id}]", "30")  # after the full-page screenshot, which resizes the page
    with group.expect_navigation():
        group.click(f"#confirm-proposal-{proposal_id}")
    group.wait_for_selector("text=Pesanan rutin dikonfirmasi")
    group.screenshot(path=str(ARTIFACTS / "standing-confirmed-360.png"), full_page=True)
    group.goto(f"{live_server}/groups/{a.slug}/orders")
    assert "PO/HM/2026/0142" in group.content()
    group.screenshot(path=str(ARTIFACTS / "standing-group-orders-360.png"), full_page=True)
