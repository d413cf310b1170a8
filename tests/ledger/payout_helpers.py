"""What the payout tests share: a group whose sold order's money is available, and its bank account set by
its chair on the group's page."""

from __future__ import annotations

from dataclasses import dataclass

from app.groups.models import Group
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token

from .helpers import deliver_and_confirm

CHAIR = "ketua.smd@uji.example"


@dataclass
class World:
    group: Group
    chair: dict  # the chair's bearer header
    admin: dict
    available: int


def bank_account(client, slug: str, bank="Bank BRI", number="0123456789", name="UPPKS Mawar") -> None:
    login(client, CHAIR)
    saved = client.post(
        f"/groups/{slug}/payout",
        data={"payout_bank": bank, "payout_account_number": number, "payout_account_name": name},
    )
    assert saved.status_code == 302
    client.post("/logout")


def group_with_money(client, make, *, bank: bool = True, quantity: int = 4) -> World:
    """UPPKS Mawar sold, through a transfer to the platform's account confirmed by an admin; the buyer
    confirmed receipt: the order's money is available to the group."""
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    admin = make.admin()
    make.user("pembeli@uji.example")
    buyer = token(client, "pembeli@uji.example")
    made = client.post("/api/v1/checkouts", headers=buyer, json=checkout_body([(amplang.id, quantity)]))
    assert made.status_code == 201, made.json
    login(client, admin.email)
    assert client.post(f"/transfers/{made.json['id']}/confirm").status_code == 302
    client.post("/logout")
    deliver_and_confirm(client, buyer, made.json["orders"][0]["id"], CHAIR)
    if bank:
        bank_account(client, samarinda.slug)
    chair = token(client, CHAIR)
    available = balance(client, samarinda, chair)["available_idr"]
    assert available == made.json["total_idr"]
    return World(samarinda, chair, token(client, admin.email), available)


def balance(client, group, auth) -> dict:
    return client.get(f"/api/v1/groups/{group.slug}/balance", headers=auth).json
