"""A group that chooses the weekly payout has its available money asked for once a week by itself."""

from __future__ import annotations

from datetime import timedelta

from app.core.timefmt import today_wib
from app.extensions import db
from app.ledger.auto_payouts import weekly_payouts
from app.ledger.models import Payout
from tests.support.factories import login

from .helpers import ledger_ok
from .payout_helpers import CHAIR, balance, group_with_money


def test_a_group_that_chose_the_weekly_payout_has_its_money_asked_for_once_a_week(app, client, make):
    w = group_with_money(client, make)
    assert weekly_payouts() == {"asked": 0, "skipped": 0}  # nobody chose it yet
    login(client, CHAIR)
    page = client.get(f"/groups/{w.group.slug}/money").get_data(as_text=True)
    assert "Cairkan otomatis tiap minggu" in page
    client.post(f"/groups/{w.group.slug}/payouts/weekly", data={"weekly": "1"})
    assert "Hentikan pencairan otomatis" in client.get(f"/groups/{w.group.slug}/money").get_data(as_text=True)
    today = today_wib()
    assert weekly_payouts(today) == {"asked": 1, "skipped": 0}
    assert weekly_payouts(today) == {"asked": 0, "skipped": 0}  # the same day again: nothing twice
    (payout,) = db.session.scalars(db.select(Payout)).all()
    assert (payout.amount_idr, payout.status, payout.requested_by_id) == (w.available, "requested", None)
    assert balance(client, w.group, w.chair)["available_idr"] == 0
    # a week later there is nothing new to send: skipped, asked again the week after
    assert weekly_payouts(today + timedelta(days=7)) == {"asked": 0, "skipped": 1}
    # the chair turns it off: no more automatic requests
    client.post(f"/groups/{w.group.slug}/payouts/weekly", data={"weekly": "0"})
    assert weekly_payouts(today + timedelta(days=14)) == {"asked": 0, "skipped": 0}
    ledger_ok(app)


def test_only_the_chair_and_the_treasurer_choose_the_weekly_payout(app, client, make):
    from app.groups.models import Membership

    w = group_with_money(client, make)
    member = make.user("anggota@uji.example")
    db.session.add(Membership(group_id=w.group.id, user_id=member.id, role="member"))
    db.session.commit()
    login(client, "anggota@uji.example")
    refused = client.post(f"/groups/{w.group.slug}/payouts/weekly", data={"weekly": "1"})
    assert refused.status_code in (302, 403)
    assert weekly_payouts() == {"asked": 0, "skipped": 0}
