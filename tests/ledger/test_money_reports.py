"""The money shown to people: a group's monthly statement (its closing balance is its opening plus the
month's entries), the officer's dashboard (money that reached the groups of its area only), and the
statement a lender reads (what was paid out to the group, from the ledger)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.core.timefmt import today_wib
from app.extensions import db
from app.ledger import book
from app.ledger.models import LedgerEntry, LedgerPosting, PostingKind
from tests.support.factories import login, token

from .helpers import CHAIRS, balance_of, deliver_and_confirm, place

JAKARTA = ZoneInfo("Asia/Jakarta")


def _paid_by_transfer_to_the_platform(client, make):
    """A two-group checkout paid by a transfer to the platform's account, confirmed by an admin."""
    body, auth, samarinda, bengkulu = place(client, make, "bank_transfer")
    admin = make.admin()
    login(client, admin.email)
    assert client.post(f"/transfers/{body['id']}/confirm").status_code == 302
    client.post("/logout")
    orders = {o["group"]["name"]: o for o in client.get("/api/v1/orders", headers=auth).json["items"]}
    return auth, samarinda, bengkulu, orders


def _to_last_month(order_id: int) -> datetime:
    """The order's money as if it had been paid last month (the ledger's times moved back)."""
    when = datetime.combine(today_wib().replace(day=1), time(), tzinfo=JAKARTA) - timedelta(days=2)
    ids = select_postings(order_id)
    db.session.execute(db.update(LedgerPosting).where(LedgerPosting.id.in_(ids)).values(created_at=when))
    db.session.execute(db.update(LedgerEntry).where(LedgerEntry.posting_id.in_(ids)).values(created_at=when))
    db.session.commit()
    return when


def select_postings(order_id: int) -> list[int]:
    return list(db.session.scalars(db.select(LedgerPosting.id).where(LedgerPosting.order_id == order_id)))


def _payout(group, amount: int, payout_id: int) -> None:
    """A payout as the payouts' service posts it: available money sent toward the group's bank."""
    book.post(
        f"payout:{payout_id}",
        PostingKind.PAYOUT,
        [(f"group:{group.id}:available", -amount), ("transit:payouts", amount)],
        source=f"payout:{payout_id}",
        description=f"Pencairan {payout_id}",
        payout_id=payout_id,
    )
    db.session.commit()


def _csv(client, group, month: str, email: str) -> list[list[str]]:
    login(client, email)
    answer = client.get(f"/groups/{group.slug}/money/statements/{month}.csv")
    assert answer.status_code == 200, answer.status_code
    assert answer.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True))))


def test_the_treasurers_monthly_statement_closes_at_its_opening_plus_the_months_entries(app, client, make):
    auth, samarinda, _bengkulu, orders = _paid_by_transfer_to_the_platform(client, make)
    order = orders[samarinda.name]
    when = _to_last_month(order["id"])
    deliver_and_confirm(client, auth, order["id"], CHAIRS[samarinda.name])
    _payout(samarinda, 20_000, payout_id=7)
    chair = CHAIRS[samarinda.name]

    last = _csv(client, samarinda, f"{when:%Y-%m}", chair)
    assert last[1][2:5] == ["saldo awal", "", "0"]
    assert [row[1] for row in last[2:-1]] == [order["number"]]
    assert last[-1][2:5] == ["saldo akhir", "", str(order["total_idr"])]

    this = _csv(client, samarinda, f"{today_wib():%Y-%m}", chair)
    opening, entries, closing = int(this[1][4]), this[2:-1], int(this[-1][4])
    assert opening == order["total_idr"]
    assert [row[2] for row in entries] == ["Penjualan", "Dikirim ke rekening kelompok"]
    assert entries[0][1] == order["number"] and int(entries[0][5]) == order["total_idr"]  # now it may be paid out
    assert closing == opening + sum(int(row[4]) for row in entries) == order["total_idr"] - 20_000
    held = balance_of(client, samarinda)
    assert closing == held["pending_idr"] + held["available_idr"]

    pdf = client.get(f"/groups/{samarinda.slug}/money/statements/{today_wib():%Y-%m}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    page = client.get(f"/groups/{samarinda.slug}/money").get_data(as_text=True)
    assert f"/groups/{samarinda.slug}/money/statements/{today_wib():%Y-%m}.pdf" in page
    # the other group's chair, and a buyer, see no statement of this group
    login(client, CHAIRS["UPPKS Bunga Tanjung"])
    assert client.get(f"/groups/{samarinda.slug}/money/statements/{today_wib():%Y-%m}.csv").status_code in (403, 404)
    assert client.get(f"/groups/{samarinda.slug}/money/statements/2999-01.csv").status_code in (403, 404)


def test_an_officer_sees_the_money_that_reached_the_groups_of_its_province_only(app, client, make):
    app.config.update(OFFICER_STATS_SECONDS=0)
    auth, samarinda, bengkulu, orders = _paid_by_transfer_to_the_platform(client, make)
    for group in (samarinda, bengkulu):
        deliver_and_confirm(client, auth, orders[group.name]["id"], CHAIRS[group.name])
    officer = make.user("petugas.kaltim@uji.example", role="officer", province="64")
    stats = client.get("/api/v1/stats", headers=token(client, officer.email)).json
    assert stats["money_reached_idr"] == orders[samarinda.name]["net_idr"]
    assert [(r["code"], r["money_reached_idr"]) for r in stats["by_regency"]] == [
        ("64.72", orders[samarinda.name]["net_idr"])
    ]
    login(client, officer.email)
    page = client.get("/officer").get_data(as_text=True)
    assert "Uang yang sampai ke kelompok" in page
    assert f"{orders[samarinda.name]['net_idr']:,}".replace(",", ".") in page
    # the whole country's admin sees both groups' money
    admin_stats = client.get("/api/v1/stats", headers=token(client, make.admin().email)).json
    assert admin_stats["money_reached_idr"] == sum(o["net_idr"] for o in orders.values())


def test_the_lenders_statement_shows_what_was_paid_out_to_the_group(app, client, make):
    auth, samarinda, _bengkulu, orders = _paid_by_transfer_to_the_platform(client, make)
    order = orders[samarinda.name]
    deliver_and_confirm(client, auth, order["id"], CHAIRS[samarinda.name])
    _payout(samarinda, 30_000, payout_id=41)
    when = _to_last_month(order["id"])  # the sale and, below, the payout both in the last complete month
    ids = list(db.session.scalars(db.select(LedgerPosting.id).where(LedgerPosting.payout_id == 41)))
    db.session.execute(db.update(LedgerPosting).where(LedgerPosting.id.in_(ids)).values(created_at=when))
    db.session.execute(db.update(LedgerEntry).where(LedgerEntry.posting_id.in_(ids)).values(created_at=when))
    db.session.commit()
    login(client, CHAIRS[samarinda.name])
    issued = client.post(f"/groups/{samarinda.slug}/statements", data={"months": "3"})
    assert issued.status_code == 302
    from app.sales.models import SalesStatement

    row = db.session.scalars(db.select(SalesStatement).where(SalesStatement.group_id == samarinda.id)).one()
    assert (row.snapshot["paid_out_idr"], row.snapshot["paid_out_payouts"]) == (30_000, [41])
    client.post("/logout")
    page = client.get(f"/s/{row.code}").get_data(as_text=True)
    assert 'id="paid-out"' in page and "Rp30.000" in page.replace("\xa0", "").replace(" ", "") and "41" in page
