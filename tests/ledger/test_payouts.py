"""Payouts: the chair or the treasurer asks for the group's available money to be sent to its bank account,
an admin approves it, and it is sent (by hand with the bank's reference, or by Midtrans Payouts, whose
notification says it arrived) or fails and the money comes back. Asking takes the money out of available
at once, so the same money is never asked twice (20 requests at once on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from app import create_app
from app.core.mail import outbox
from app.extensions import db
from app.groups.models import Membership
from app.ledger.models import LedgerPosting, Payout
from tests.support.factories import login, token
from tests.support.outside import IRIS_KEYS

from .helpers import ledger_ok, postings
from .payout_helpers import CHAIR, World, balance, bank_account, group_with_money

HOOK = "/api/v1/webhooks/iris"


def _ask(client, w: World, amount: int, auth=None):
    return client.post(f"/api/v1/groups/{w.group.slug}/payouts", headers=auth or w.chair, json={"amount_idr": amount})


def test_the_chair_asks_for_a_payout_an_admin_approves_it_and_records_the_banks_reference(app, client, make):
    w = group_with_money(client, make)
    asked = _ask(client, w, w.available)
    assert asked.status_code == 201, asked.json
    payout = asked.json
    assert (payout["amount_idr"], payout["status"]) == (w.available, "requested")
    assert payout["bank"] == {"name": "Bank BRI", "account_number": "0123456789", "account_name": "UPPKS Mawar"}
    # the money left available at once: it cannot be asked for again
    assert balance(client, w.group, w.chair)["available_idr"] == 0
    assert _ask(client, w, 10_000).status_code == 409
    # a later change of the group's account does not redirect money already asked for
    bank_account(client, w.group.slug, bank="Bank BNI", number="9876543210")
    queue = client.get("/api/v1/payouts", headers=w.admin).json["items"]
    assert [(p["id"], p["group"]["slug"], p["bank"]["name"]) for p in queue] == [
        (payout["id"], w.group.slug, "Bank BRI")
    ]
    approved = client.post(f"/api/v1/payouts/{payout['id']}/approve", headers=w.admin)
    assert (approved.status_code, approved.json["status"]) == (200, "approved")
    assert client.post(f"/api/v1/payouts/{payout['id']}/approve", headers=w.admin).status_code == 409
    assert (
        client.post(f"/api/v1/payouts/{payout['id']}/sent", headers=w.admin, json={"reference": " "}).status_code == 422
    )
    before = len(outbox())
    sent = client.post(f"/api/v1/payouts/{payout['id']}/sent", headers=w.admin, json={"reference": "BRI-20260512-0042"})
    assert (sent.status_code, sent.json["status"], sent.json["reference"]) == (200, "sent", "BRI-20260512-0042")
    told = [m for m in outbox()[before:] if "sudah dikirim ke rekening" in m["Subject"]]
    assert len(told) == 1 and "BRI-20260512-0042" in told[0].get_content()  # the group hears its money left
    # a sent payout does not fail by hand afterwards (its money would be paid twice)
    failed = client.post(f"/api/v1/payouts/{payout['id']}/failed", headers=w.admin, json={"reason": "salah"})
    assert failed.status_code == 409
    assert balance(client, w.group, w.chair) == {
        "pending_idr": 0,
        "available_idr": 0,
        "paid_out_idr": w.available,
        "direct_idr": 0,
        "fees_idr": 0,
    }
    mine = client.get(f"/api/v1/groups/{w.group.slug}/payouts", headers=w.chair).json["items"]
    assert [(p["status"], p["reference"]) for p in mine] == [("sent", "BRI-20260512-0042")]
    kinds = [i["kind"] for i in client.get(f"/api/v1/groups/{w.group.slug}/ledger", headers=w.chair).json["items"]]
    assert kinds[0] == "payout"
    assert client.get("/api/v1/payouts?status=sent", headers=w.admin).json["items"][0]["id"] == payout["id"]
    ledger_ok(app)


def test_a_payout_that_fails_gives_the_money_back_to_available(app, client, make):
    w = group_with_money(client, make)
    first = _ask(client, w, 20_000).json
    second = _ask(client, w, 30_000).json
    assert balance(client, w.group, w.chair)["available_idr"] == w.available - 50_000
    assert client.post(f"/api/v1/payouts/{first['id']}/failed", headers=w.admin, json={}).status_code == 422
    refused = client.post(
        f"/api/v1/payouts/{first['id']}/failed", headers=w.admin, json={"reason": "Nama rekening tidak sama"}
    )
    assert (refused.status_code, refused.json["status"]) == (200, "failed")
    assert refused.json["failure_reason"] == "Nama rekening tidak sama"
    client.post(f"/api/v1/payouts/{second['id']}/approve", headers=w.admin)
    bounced = client.post(f"/api/v1/payouts/{second['id']}/failed", headers=w.admin, json={"reason": "Rekening tutup"})
    assert bounced.json["status"] == "failed"
    assert (
        client.post(f"/api/v1/payouts/{second['id']}/failed", headers=w.admin, json={"reason": "lagi"}).status_code
        == 409
    )
    now = balance(client, w.group, w.chair)
    assert (now["available_idr"], now["paid_out_idr"]) == (w.available, 0)
    items = client.get(f"/api/v1/groups/{w.group.slug}/ledger", headers=w.chair).json["items"]
    assert [(i["kind"], i["amount_idr"], i["payout_id"]) for i in items[:4]] == [
        ("payout_returned", 30_000, second["id"]),
        ("payout_returned", 20_000, first["id"]),
        ("payout", -30_000, second["id"]),
        ("payout", -20_000, first["id"]),
    ]
    ledger_ok(app)


def test_more_than_available_is_409_and_a_group_without_a_bank_account_422(app, client, make):
    w = group_with_money(client, make, bank=False)
    no_bank = _ask(client, w, 10_000)
    assert no_bank.status_code == 422 and "bank" in no_bank.json["errors"]
    bank_account(client, w.group.slug)
    too_much = _ask(client, w, w.available + 1)
    assert too_much.status_code == 409 and "amount_idr" in too_much.json["errors"]
    assert _ask(client, w, 9_999).status_code == 422  # below PAYOUT_MIN_IDR
    assert (
        client.post(f"/api/v1/groups/{w.group.slug}/payouts", headers=w.chair, json={"amount_idr": "10000"}).status_code
        == 422
    )
    assert balance(client, w.group, w.chair)["available_idr"] == w.available
    assert db.session.scalar(db.select(db.func.count(Payout.id))) == 0


def test_a_member_is_refused_an_outsider_finds_nothing_and_only_admins_approve(app, client, make):
    w = group_with_money(client, make)
    member = make.user("anggota@uji.example")
    db.session.add(Membership(group_id=w.group.id, user_id=member.id, role="member"))
    treasurer = make.user("bendahara@uji.example")
    db.session.add(Membership(group_id=w.group.id, user_id=treasurer.id, role="treasurer"))
    db.session.commit()
    make.user("orang.lain@uji.example")
    as_member, outsider = token(client, "anggota@uji.example"), token(client, "orang.lain@uji.example")
    assert _ask(client, w, 10_000, as_member).status_code == 403
    assert _ask(client, w, 10_000, outsider).status_code == 404
    assert client.get(f"/api/v1/groups/{w.group.slug}/payouts", headers=as_member).status_code == 403
    asked = _ask(client, w, 10_000, token(client, "bendahara@uji.example"))
    assert asked.status_code == 201  # the treasurer may
    assert client.get("/api/v1/payouts", headers=w.chair).status_code == 403
    assert client.post(f"/api/v1/payouts/{asked.json['id']}/approve", headers=w.chair).status_code == 403
    assert client.post("/api/v1/payouts/999999/approve", headers=w.admin).status_code == 404


def test_an_admin_does_not_approve_the_payout_she_asked_for_where_the_platform_has_two(app, client, make):
    w = group_with_money(client, make)  # the platform has several admins by now
    admin = make.admin()
    own = token(client, admin.email)
    asked = _ask(client, w, 10_000, own)  # admins may do everything in a group
    assert asked.status_code == 201
    refused = client.post(f"/api/v1/payouts/{asked.json['id']}/approve", headers=own)
    assert refused.status_code == 403
    assert client.post(f"/api/v1/payouts/{asked.json['id']}/approve", headers=w.admin).json["status"] == "approved"


def test_the_admin_downloads_the_approved_payouts_as_a_csv_for_the_banks_bulk_transfer(app, client, make):
    w = group_with_money(client, make)
    login(client, CHAIR)  # the chair asks on the money page, writing the amount as Indonesians do
    asked = client.post(f"/groups/{w.group.slug}/payouts", data={"amount_idr": "25.000"})
    assert asked.status_code == 302
    assert client.get("/admin/payouts").status_code == 403
    client.post("/logout")
    [payout] = db.session.scalars(db.select(Payout)).all()
    assert payout.amount_idr == 25_000
    waiting = _ask(client, w, 10_000).json  # asked, not approved: not in the file
    admin_email = make.admin().email
    login(client, admin_email)
    assert client.post(f"/admin/payouts/{payout.id}/approve").status_code == 302
    page = client.get("/admin/payouts").get_data(as_text=True)
    assert f"PASAR UPPKS P{payout.id}" in page and "Pencairan pertama ke rekening ini" in page
    csv = client.get("/admin/payouts.csv")
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).splitlines() == [
        "bank,account_number,account_name,amount_idr,description",
        f"Bank BRI,0123456789,UPPKS Mawar,25000,PASAR UPPKS P{payout.id}",
    ]
    client.post(f"/admin/payouts/{payout.id}/sent", data={"reference": "BRI-0042"})
    client.post(f"/admin/payouts/{waiting['id']}/failed", data={"reason": "Diminta dua kali"})
    assert client.get("/admin/payouts.csv").get_data(as_text=True).splitlines()[1:] == []
    assert [p.status for p in db.session.scalars(db.select(Payout).order_by(Payout.id))] == ["sent", "failed"]


# ------------------------------------------------------------------ Midtrans Payouts (Iris), through its fake


def _hook(client, raw: bytes, headers: dict):
    return client.post(HOOK, data=raw, headers=headers)


def test_iris_sends_an_approved_payout_and_its_notification_says_it_arrived_once(app, client, make, iris):
    w = group_with_money(client, make)
    iris.accounts[("bri", "0123456789")] = "UPPKS MAWAR"
    asked = _ask(client, w, w.available).json
    approved = client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin)
    assert (approved.status_code, approved.json["status"], approved.json["provider"]) == (200, "approved", "iris")
    made = [r for r in iris.requests if r["path"] == "/api/v1/payouts"]
    assert len(made) == 1 and made[0]["role"] == "creator"
    assert [r["role"] for r in iris.requests if r["path"] == "/api/v1/payouts/approve"] == ["approver"]
    [(reference_no, at_iris)] = iris.payouts.items()
    assert at_iris["beneficiary_bank"] == "bri" and at_iris["amount"] == f"{w.available}.00"
    assert at_iris["status"] == "approved"
    # Iris decides from here: the admin does not record a reference by hand
    manual = client.post(f"/api/v1/payouts/{asked['id']}/sent", headers=w.admin, json={"reference": "x"})
    assert manual.status_code == 409
    raw, headers = iris.notification(reference_no, "processed")
    assert _hook(client, raw, headers).json["result"] == "noted"
    raw, headers = iris.finish(reference_no, "completed")
    assert _hook(client, raw, headers).json["result"] == "sent"
    before = postings()
    assert _hook(client, raw, headers).json["result"] == "ignored"  # Iris sends it again: nothing moves twice
    late_raw, late_headers = iris.notification(reference_no, "processed")
    assert _hook(client, late_raw, late_headers).json["result"] == "ignored"  # out of order: never back
    assert postings() == before
    mine = client.get(f"/api/v1/groups/{w.group.slug}/payouts", headers=w.chair).json["items"][0]
    assert (mine["status"], mine["reference"]) == ("sent", reference_no)
    assert balance(client, w.group, w.chair)["paid_out_idr"] == w.available
    ledger_ok(app)


def test_iris_says_a_payout_failed_and_its_money_comes_back_once(app, client, make, iris):
    w = group_with_money(client, make)
    iris.accounts[("bri", "0123456789")] = "UPPKS Mawar"
    asked = _ask(client, w, 25_000).json
    client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin)
    [reference_no] = iris.payouts
    raw, headers = iris.finish(reference_no, "failed")
    assert _hook(client, raw, headers).json["result"] == "failed"
    before = postings()
    assert _hook(client, raw, headers).json["result"] == "ignored"
    assert postings() == before
    mine = client.get(f"/api/v1/groups/{w.group.slug}/payouts", headers=w.chair).json["items"][0]
    assert mine["status"] == "failed" and "Beneficiary account is closed" in mine["failure_reason"]
    assert balance(client, w.group, w.chair)["available_idr"] == w.available
    ledger_ok(app)


def test_a_notification_not_signed_with_the_merchant_key_is_refused(app, client, make, iris):
    w = group_with_money(client, make)
    iris.accounts[("bri", "0123456789")] = "UPPKS Mawar"
    asked = _ask(client, w, 25_000).json
    client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin)
    [reference_no] = iris.payouts
    iris.finish(reference_no, "completed")
    raw, headers = iris.notification(reference_no, sign_with="IRIS-merchant-someone-else")
    assert _hook(client, raw, headers).status_code == 400
    raw, headers = iris.notification(reference_no)
    assert _hook(client, raw + b" ", headers).status_code == 400  # the body is not the one signed
    assert _hook(client, raw, {"Content-Type": "application/json"}).status_code == 400
    assert (
        client.get(f"/api/v1/groups/{w.group.slug}/payouts", headers=w.chair).json["items"][0]["status"] == "approved"
    )


def test_iris_checks_the_account_before_its_first_payout(app, client, make, iris):
    w = group_with_money(client, make)
    asked = _ask(client, w, 20_000).json
    unknown = client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin)
    assert unknown.status_code == 422 and "Account does not exist" in str(unknown.json)
    iris.accounts[("bri", "0123456789")] = "SITI AMINAH"
    other = client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin)
    assert other.status_code == 409 and "SITI AMINAH" in other.json["detail"]
    assert not iris.payouts  # nothing was sent to a name that is not the group's
    assert client.get("/api/v1/payouts", headers=w.admin).json["items"][0]["status"] == "requested"
    iris.accounts[("bri", "0123456789")] = "UPPKS MAWAR"
    assert client.post(f"/api/v1/payouts/{asked['id']}/approve", headers=w.admin).json["status"] == "approved"
    assert IRIS_KEYS["IRIS_MERCHANT_KEY"] == app.config["IRIS_MERCHANT_KEY"]


# ------------------------------------------------------------------ two phones, twenty taps


@pytest.mark.postgresql_only
def test_twenty_payout_requests_at_once_never_pay_out_more_than_available(
    backend, app, client, make, migrated, tmp_path
):
    w = group_with_money(client, make)
    share = w.available // 5  # five shares fit, the sixth does not
    path = f"/api/v1/groups/{w.group.slug}/payouts"
    worker_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 22, "max_overflow": 0},
        }
    )
    start = threading.Barrier(20)
    answers: list[int] = []
    lock = threading.Lock()

    def tap(_i: int) -> None:  # each on its own server thread: its own app context, session and connection
        with worker_app.test_client() as phone:
            start.wait(timeout=30)
            answer = phone.post(path, headers=w.chair, json={"amount_idr": share})
        with lock:
            answers.append(answer.status_code)

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    with worker_app.app_context():
        db.engine.dispose()
    assert sorted(answers) == [201] * 5 + [409] * 15, answers
    db.session.expire_all()
    asked = db.session.scalar(db.select(db.func.sum(Payout.amount_idr)))
    assert asked == 5 * share <= w.available
    assert balance(client, w.group, w.chair)["available_idr"] == w.available - 5 * share >= 0
    assert db.session.scalar(db.select(db.func.count(LedgerPosting.id)).where(LedgerPosting.kind == "payout")) == 5
    ledger_ok(app)
