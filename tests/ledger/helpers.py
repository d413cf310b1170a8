"""What the ledger tests share: a two-group checkout placed by a buyer, the groups' balances as their chairs
see them, and an order taken from paid to completed as the group and the buyer do it."""

from __future__ import annotations

from app.extensions import db
from app.ledger.models import LedgerPosting
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import token


def place(client, make, method: str, items=None):
    """Two groups' products in one checkout: (the checkout's answer, the buyer's auth, the two groups)."""
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    body = checkout_body(items or [(amplang.id, 2), (keripik.id, 2)], method=method)
    made = client.post("/api/v1/checkouts", headers=auth, json=body)
    assert made.status_code == 201, made.json
    return made.json, auth, samarinda, bengkulu


def balance(client, group, email: str) -> dict:
    answer = client.get(f"/api/v1/groups/{group.slug}/balance", headers=token(client, email))
    assert answer.status_code == 200, answer.json
    return answer.json


CHAIRS = {"UPPKS Mawar": "ketua.smd@uji.example", "UPPKS Bunga Tanjung": "ketua.bkl@uji.example"}


def balance_of(client, group) -> dict:
    return balance(client, group, CHAIRS[group.name])


def deliver_and_confirm(client, buyer_auth, order_id: int, chair_email: str) -> None:
    """The group prepares and ships the order; the buyer says it arrived."""
    group_auth = token(client, chair_email)
    for move in ({"status": "processing"}, {"status": "shipped", "tracking_number": "JNE0123456789"}):
        moved = client.post(f"/api/v1/orders/{order_id}/status", headers=group_auth, json=move)
        assert moved.status_code == 200, moved.json
    received = client.post(f"/api/v1/orders/{order_id}/received", headers=buyer_auth)
    assert received.status_code == 200, received.json


def postings() -> int:
    return db.session.scalar(db.select(db.func.count(LedgerPosting.id)))


def ledger_ok(app) -> str:
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    return result.output
