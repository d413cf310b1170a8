"""Roles inside a group: a ketua (chair), a bendahara (treasurer), a sekretaris (secretary) and members.
Money is for the chair and the treasurer, the members and their roles for the chair, everything else for any
member; an admin may do all of it, and someone outside the group finds nothing (404).

The matrix: every action × every role, through the pages (the button is shown or not; the POST is done, or
answered 403 / 404 and nothing changes) and through the API where the action has an endpoint."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_args

import pytest

from app.api import schemas
from app.core.timefmt import today_wib
from app.events import publishing, taking_part
from app.events.models import EventGroup
from app.extensions import db
from app.groups import services as groups
from app.groups.models import MEMBER_ROLES, Group, Membership
from app.orders.models import Checkout, Order
from app.payments import transfers
from app.payments.models import Payment
from app.sales import statements
from app.sales.models import SalesStatement
from app.wholesale.models import Invoice
from tests.support.buying import checkout_body
from tests.support.factories import invitation_path, jpeg, login, token
from tests.support.wholesale import verified_hotel

ROLES = ("outsider", "member", "secretary", "treasurer", "chair", "admin")
MONEY = {"chair", "treasurer", "admin"}
EVERY_MEMBER = {"chair", "treasurer", "secretary", "member", "admin"}
PEOPLE = {
    "chair": ("ketua@uji.example", "Ibu Ketua"),
    "treasurer": ("bendahara@uji.example", "Siti Aminah"),
    "secretary": ("sekretaris@uji.example", "Ibu Sekretaris"),
    "member": ("anggota@uji.example", "Ibu Anggota"),
    "outsider": ("ketua.lain@uji.example", "Ibu Kelompok Lain"),
}


@dataclass
class World:
    app: Any
    make: Any
    group: Group
    product: Any
    pages: dict = field(default_factory=dict)  # role -> a signed-in test client
    api: dict = field(default_factory=dict)  # role -> bearer headers
    buyer: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # things made once when an action first needs them

    @property
    def slug(self) -> str:
        return self.group.slug


@pytest.fixture
def world(app, make) -> World:
    """UPPKS Mawar with its four roles (its own bank account: transfers go to it), a chair of another group,
    an admin and a buyer, each signed in on the pages and holding an API token."""
    chair = make.user(PEOPLE["chair"][0], name=PEOPLE["chair"][1])
    group = make.group(chair, name="UPPKS Mawar")
    groups.update_payout(chair, group.slug, "Bank BRI", "0123456789", "UPPKS Mawar")
    users = {"chair": chair}
    for role in ("treasurer", "secretary", "member"):
        users[role] = make.user(PEOPLE[role][0], name=PEOPLE[role][1])
        groups.add_member(chair, group.slug, users[role].email, role)
    users["outsider"] = make.user(PEOPLE["outsider"][0], name=PEOPLE["outsider"][1])
    make.group(users["outsider"], name="UPPKS Lain")
    users["admin"] = make.admin()
    make.user("pembeli@uji.example", name="Budi Santoso")
    w = World(app, make, group, make.product(group, name="Amplang Pipih", price_idr=25000, stock=500), users=users)
    for role, user in users.items():
        w.pages[role] = app.test_client()
        login(w.pages[role], user.email)
        w.api[role] = token(w.pages[role], user.email)
    w.buyer = token(app.test_client(), "pembeli@uji.example")
    return w


# ------------------------------------------------------------------ what each action needs, made fresh


def _placed(w: World, method: str = "bank_transfer", headers: dict | None = None, **extra) -> Checkout:
    answer = w.app.test_client().post(
        "/api/v1/checkouts", headers=headers or w.buyer, json=checkout_body([(w.product.id, 1)], method, **extra)
    )
    assert answer.status_code == 201, answer.json
    return db.session.get(Checkout, answer.json["id"])


def transfer_with_proof(w: World) -> Checkout:
    checkout = _placed(w)
    transfers.upload_proof(checkout, jpeg())
    return checkout


def paid_order(w: World) -> Order:
    checkout = transfer_with_proof(w)
    transfers.confirm_transfer(w.users["chair"], checkout.id)
    return checkout.orders[0]


def unpaid_invoice(w: World) -> Invoice:
    if "hotel" not in w.extra:
        w.extra["hotel"] = verified_hotel(w.app.test_client(), w.make)[1]
    checkout = _placed(w, "invoice", headers=w.extra["hotel"])
    return db.session.scalars(db.select(Invoice).where(Invoice.order_id == checkout.orders[0].id)).one()


def issued_statement(w: World) -> SalesStatement:
    return statements.issue(w.users["chair"], w.slug, 6)


def _event(w: World, name: str):
    start = today_wib()
    data = {"name": name, "kind": "bazar", "regency": "64.72", "open_to": "provinsi", "address": "GOR Segiri"}
    return publishing.publish(w.users["admin"], dict(data, starts_on=start.isoformat(), ends_on=start.isoformat()))


def taking_part_in_an_event(w: World):
    event = _event(w, f"Bazar UPPKS ke-{_next(w)}")
    taking_part.apply(w.users["chair"], event.slug, w.slug, None)
    return event


def reserved_at_the_stand(w: World) -> Checkout:
    if "bazaar" not in w.extra:  # a bazaar that has begun, where the group has a stand
        event = _event(w, "Bazar UPPKS Harganas")
        taking_part.apply(w.users["chair"], event.slug, w.slug, None)
        taking_part.decide(w.users["admin"], event.slug, w.group.id, "accepted")
        w.extra["bazaar"] = event.id
    pick_up = {"shipping_methods": {w.slug: "event"}, "pickup_events": {w.slug: w.extra["bazaar"]}}
    return _placed(w, "at_stand", **pick_up)


def a_plain_member(w: World) -> Membership:
    n = _next(w)
    person = w.make.user(f"anggota{n}@uji.example", name=f"Ibu Anggota {n}")
    return groups.add_member(w.users["chair"], w.slug, person.email)


def _next(w: World) -> int:
    w.extra["n"] = w.extra.get("n", 0) + 1
    return w.extra["n"]


def _statements() -> int:
    return db.session.scalar(db.select(db.func.count(SalesStatement.id)))


def _now(thing):
    db.session.expire_all()
    return db.session.get(type(thing), thing.id)


def _order_block(html: str, order_id: int) -> str:
    """The part of the group's orders page about one order (its header to the next order)."""
    start = html.find(f'id="order-{order_id}"')
    if start < 0:
        return ""
    end = html.find('class="order-block"', start)
    return html[start : end if end > 0 else len(html)]


# ------------------------------------------------------------------ the matrix


@dataclass
class Action:
    allowed: set[str]
    make: Callable[[World], Any]
    page: Callable[[World, Any], str]
    shown: Callable[[str, World, Any], bool]  # is the button for this thing on the page
    post: Callable[[Any, World, Any], Any]  # the page's form post
    done: Callable[[World, Any], bool]
    api: Callable[[Any, dict, World, Any], Any] | None = None
    api_status: int = 200


ACTIONS = {
    "confirm_transfer": Action(
        MONEY,
        transfer_with_proof,
        lambda w, c: f"/groups/{w.slug}/orders",
        lambda html, w, c: f"/transfers/{c.id}/confirm" in html,
        lambda client, w, c: client.post(f"/transfers/{c.id}/confirm"),
        lambda w, c: _now(c).status == "paid",
    ),
    "refuse_transfer": Action(
        MONEY,
        transfer_with_proof,
        lambda w, c: f"/groups/{w.slug}/orders",
        lambda html, w, c: f"/transfers/{c.id}/refuse" in html,
        lambda client, w, c: client.post(f"/transfers/{c.id}/refuse", data={"reason": "belum ada dana masuk"}),
        lambda w, c: db.session.scalar(db.select(Payment.proof_refused_reason).where(Payment.checkout_id == c.id))
        is not None,
    ),
    "mark_invoice_paid": Action(
        MONEY,
        unpaid_invoice,
        lambda w, i: f"/groups/{w.slug}/quotes",
        lambda html, w, i: f"/invoices/{i.id}/paid" in html,
        lambda client, w, i: client.post(f"/invoices/{i.id}/paid"),
        lambda w, i: _now(i).status == "paid",
        lambda client, headers, w, i: client.post(f"/api/v1/invoices/{i.id}/paid", headers=headers),
    ),
    "issue_statement": Action(
        MONEY,
        lambda w: _statements(),  # how many there were before
        lambda w, _: f"/groups/{w.slug}/statements",
        lambda html, w, _: 'name="months"' in html,
        lambda client, w, _: client.post(f"/groups/{w.slug}/statements", data={"months": "6"}),
        lambda w, before: _statements() > before,
        lambda client, headers, w, _: client.post(
            f"/api/v1/groups/{w.slug}/statements", headers=headers, json={"months": 6}
        ),
        201,
    ),
    "revoke_statement": Action(
        MONEY,
        issued_statement,
        lambda w, s: f"/groups/{w.slug}/statements",
        lambda html, w, s: f"/statements/{s.code}/revoke" in html,
        lambda client, w, s: client.post(f"/groups/{w.slug}/statements/{s.code}/revoke"),
        lambda w, s: _now(s).revoked_at is not None,
    ),
    "withdraw_from_event": Action(
        MONEY,
        taking_part_in_an_event,
        lambda w, e: f"/groups/{w.slug}/events",
        lambda html, w, e: f"/acara/{e.slug}/withdraw" in html,
        lambda client, w, e: client.post(f"/acara/{e.slug}/withdraw", data={"group": w.slug}),
        lambda w, e: db.session.scalar(db.select(EventGroup.status).where(EventGroup.event_id == e.id)) == "withdrawn",
    ),
    "cancel_paid_order": Action(
        MONEY,
        paid_order,
        lambda w, o: f"/groups/{w.slug}/orders",
        lambda html, w, o: 'value="cancelled"' in _order_block(html, o.id),
        lambda client, w, o: client.post(f"/orders/{o.id}/move", data={"to": "cancelled", "reason": "stok rusak"}),
        lambda w, o: _now(o).status == "cancelled",
        lambda client, headers, w, o: client.post(
            f"/api/v1/orders/{o.id}/status", headers=headers, json={"status": "cancelled", "reason": "stok rusak"}
        ),
    ),
    "mark_paid_at_the_stand": Action(
        MONEY,
        reserved_at_the_stand,
        lambda w, c: f"/groups/{w.slug}/orders",
        lambda html, w, c: f"/checkouts/{c.id}/paid-at-stand" in html,
        lambda client, w, c: client.post(f"/checkouts/{c.id}/paid-at-stand"),
        lambda w, c: _now(c).status == "paid",
    ),
    "change_the_bank_account": Action(
        MONEY,
        lambda w: f"Bank Nomor {_next(w)}",
        lambda w, bank: f"/groups/{w.slug}/manage",
        lambda html, w, bank: f"/groups/{w.slug}/payout" in html,
        lambda client, w, bank: client.post(
            f"/groups/{w.slug}/payout",
            data={"payout_bank": bank, "payout_account_number": "9876543210", "payout_account_name": "UPPKS Mawar"},
        ),
        lambda w, bank: _now(w.group).payout_bank == bank,
    ),
    "invite_a_member": Action(
        {"chair", "admin"},
        lambda w: f"baru{_next(w)}@uji.example",
        lambda w, email: f"/groups/{w.slug}/manage",
        lambda html, w, email: f'action="/groups/{w.slug}/members"' in html,
        lambda client, w, email: client.post(f"/groups/{w.slug}/members", data={"email": email, "role": "treasurer"}),
        lambda w, email: any(m["To"] == email for m in w.app.extensions.get("mail_outbox", [])),
        lambda client, headers, w, email: client.post(
            f"/api/v1/groups/{w.slug}/members", headers=headers, json={"email": email, "role": "secretary"}
        ),
        202,
    ),
    "change_a_role": Action(
        {"chair", "admin"},
        a_plain_member,
        lambda w, m: f"/groups/{w.slug}/manage",
        lambda html, w, m: f"/groups/{w.slug}/members/{m.user_id}/role" in html,
        lambda client, w, m: client.post(f"/groups/{w.slug}/members/{m.user_id}/role", data={"role": "secretary"}),
        lambda w, m: _now(m).role == "secretary",
        lambda client, headers, w, m: client.patch(
            f"/api/v1/groups/{w.slug}/members/{m.user_id}", headers=headers, json={"role": "secretary"}
        ),
    ),
    # anything else any member may do: preparing a paid order, for one
    "prepare_an_order": Action(
        EVERY_MEMBER,
        paid_order,
        lambda w, o: f"/groups/{w.slug}/orders",
        lambda html, w, o: 'value="processing"' in _order_block(html, o.id),
        lambda client, w, o: client.post(f"/orders/{o.id}/move", data={"to": "processing"}),
        lambda w, o: _now(o).status == "processing",
        lambda client, headers, w, o: client.post(
            f"/api/v1/orders/{o.id}/status", headers=headers, json={"status": "processing"}
        ),
    ),
}


def _expected(role: str, allowed: set[str], done_status: int) -> int:
    return done_status if role in allowed else 404 if role == "outsider" else 403


@pytest.mark.parametrize("name", ACTIONS)
def test_each_role_sees_and_does_only_what_its_role_allows(world, name):
    action = ACTIONS[name]
    wrong: list[str] = []
    for role in ROLES:
        client, allowed = world.pages[role], role in action.allowed
        thing = action.make(world)
        page = client.get(action.page(world, thing))
        if role == "outsider":
            if page.status_code != 404:
                wrong.append(f"{role}: the group's page answered {page.status_code}, not 404")
        elif page.status_code != 200:
            wrong.append(f"{role}: the page answered {page.status_code}")
        elif action.shown(page.get_data(as_text=True), world, thing) != allowed:
            wrong.append(f"{role}: the button is {'missing' if allowed else 'shown'}")
        answer = action.post(client, world, thing)
        if answer.status_code != _expected(role, action.allowed, 302):
            wrong.append(f"{role}: the form post answered {answer.status_code}")
        if answer.status_code == 403 and "kelompok yang dapat" not in answer.get_data(as_text=True):
            wrong.append(f"{role}: the 403 page does not say who may")
        if action.done(world, thing) != allowed:
            wrong.append(f"{role}: the form post {'did nothing' if allowed else 'went through'}")
        if action.api is None:
            continue
        thing = action.make(world) if allowed else thing
        answer = action.api(world.app.test_client(), world.api[role], world, thing)
        if answer.status_code != _expected(role, action.allowed, action.api_status):
            wrong.append(f"{role}: the API answered {answer.status_code}")
        if answer.status_code == 403 and not answer.json["detail"].startswith("Hanya ketua"):
            wrong.append(f"{role}: the API's 403 does not say who may: {answer.json['detail']}")
        if action.done(world, thing) != allowed:
            wrong.append(f"{role}: the API call {'did nothing' if allowed else 'went through'}")
    assert wrong == []


# ------------------------------------------------------------------ roles themselves


def test_each_member_is_told_her_role_and_the_treasurer_what_she_may_do(world):
    notes = {
        "chair": "Anda ketua kelompok ini",
        "treasurer": "Anda bendahara kelompok ini: bersama ketua, Anda memegang urusan uang",
        "secretary": "Anda sekretaris kelompok ini",
        "member": "Anda anggota kelompok ini: Anda mengurus produk, pesanan, penawaran dan buku penjualan; urusan uang "
        "dipegang ketua dan bendahara",
    }
    for role, note in notes.items():
        html = world.pages[role].get(f"/groups/{world.slug}/manage").get_data(as_text=True)
        assert note in html, role
        assert re.search(r"Siti Aminah \(bendahara@uji.example\) — Bendahara", html), role
    statements_page = world.pages["member"].get(f"/groups/{world.slug}/statements").get_data(as_text=True)
    assert "Hanya ketua atau bendahara kelompok yang dapat menerbitkan dan mencabut rekap untuk pinjaman." in (
        statements_page
    )
    assert "Anda ketua" not in world.pages["admin"].get(f"/groups/{world.slug}/manage").get_data(as_text=True)


def test_the_members_list_shows_roles_to_the_members_only(world):
    listed = world.app.test_client().get(f"/api/v1/groups/{world.slug}/members", headers=world.api["secretary"])
    assert listed.status_code == 200
    assert [(m["name"], m["role"]) for m in listed.json["items"]] == [
        ("Ibu Ketua", "chair"),
        ("Siti Aminah", "treasurer"),
        ("Ibu Sekretaris", "secretary"),
        ("Ibu Anggota", "member"),
    ]
    assert listed.json["items"][1]["user_id"] == world.users["treasurer"].id
    outsider = world.app.test_client().get(f"/api/v1/groups/{world.slug}/members", headers=world.api["outsider"])
    assert outsider.status_code == 404
    assert get_args(schemas.MemberRole) == MEMBER_ROLES  # the API's document names the roles there are


def test_a_group_keeps_at_least_one_chair(world):
    chair, me = world.pages["chair"], world.users["chair"]
    alone = chair.post(f"/groups/{world.slug}/members/{me.id}/role", data={"role": "member"})
    html = alone.get_data(as_text=True)
    assert alone.status_code == 409 and "Kelompok harus tetap punya ketua" in html
    api = world.app.test_client()
    refused = api.patch(
        f"/api/v1/groups/{world.slug}/members/{me.id}", headers=world.api["chair"], json={"role": "member"}
    )
    assert refused.status_code == 409 and "tetap punya ketua" in refused.json["detail"]
    unknown = api.patch(
        f"/api/v1/groups/{world.slug}/members/{me.id}", headers=world.api["chair"], json={"role": "bendahara"}
    )
    assert unknown.status_code == 422
    assert chair.post(f"/groups/{world.slug}/members/{me.id}/role", data={"role": "raja"}).status_code == 422
    # the chair hands over to the treasurer, then steps down to be the treasurer herself
    treasurer = world.users["treasurer"]
    handed = api.patch(
        f"/api/v1/groups/{world.slug}/members/{treasurer.id}", headers=world.api["chair"], json={"role": "chair"}
    )
    assert handed.status_code == 200 and handed.json == {
        "user_id": treasurer.id,
        "name": "Siti Aminah",
        "role": "chair",
    }
    stepped = chair.post(f"/groups/{world.slug}/members/{me.id}/role", data={"role": "treasurer"})
    assert stepped.status_code == 302
    roles = {m.user.email: m.role for m in groups.members(_now(world.group))}
    assert roles["ketua@uji.example"] == "treasurer" and roles["bendahara@uji.example"] == "chair"
    # she is now the treasurer: money still, members no more
    page = chair.get(f"/groups/{world.slug}/manage").get_data(as_text=True)
    assert "Anda bendahara kelompok ini" in page and "Ubah peran" not in page and "/payout" in page


def test_an_invitation_carries_its_role(world):
    world.make.user("calon@uji.example", name="Ibu Calon")
    sent = world.pages["chair"].post(
        f"/groups/{world.slug}/members", data={"email": "calon@uji.example", "role": "secretary"}
    )
    assert sent.status_code == 302
    mail = world.app.extensions["mail_outbox"][-1]
    assert mail["To"] == "calon@uji.example" and "UPPKS Mawar, sebagai sekretaris" in mail["Subject"]
    newcomer = world.app.test_client()
    login(newcomer, "calon@uji.example")
    assert newcomer.post(invitation_path(world.app)).status_code == 302
    listed = world.app.test_client().get(f"/api/v1/groups/{world.slug}/members", headers=world.api["member"]).json
    assert {"name": "Ibu Calon", "role": "secretary"}.items() <= next(
        m for m in listed["items"] if m["name"] == "Ibu Calon"
    ).items()


def test_the_api_offers_cancelling_a_paid_order_only_to_the_chair_and_the_treasurer(world):
    order = paid_order(world)
    client = world.app.test_client()
    for role in ("chair", "treasurer", "secretary", "member"):
        answer = client.get(f"/api/v1/orders/{order.id}", headers=world.api[role]).json
        assert ("cancelled" in answer["next_statuses"]) == (role in MONEY), role
        listed = client.get(f"/api/v1/groups/{world.slug}/orders", headers=world.api[role]).json["items"]
        assert ("cancelled" in listed[0]["next_statuses"]) == (role in MONEY), role


def test_the_chair_changes_a_role_on_a_phone_without_script(world, live_server, browser):
    from tests.support import ARTIFACTS
    from tests.support.factories import PASSWORD

    page = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ketua@uji.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/groups/{world.slug}/manage#members")
    member = world.users["member"]
    row = page.locator(f"#member-{member.id}")
    row.locator("select[name=role]").select_option("treasurer")
    row.get_by_role("button", name="Ubah peran").click()
    page.wait_for_load_state()
    assert "Ibu Anggota sekarang bendahara kelompok." in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    (ARTIFACTS / "roles").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roles" / "manage-members-360.png"), full_page=True)
    db.session.expire_all()
    assert groups.membership(member, world.group.id).role == "treasurer"
