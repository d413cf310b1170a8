"""WhatsApp notices, sent through the real client over HTTP to a fake of Meta's Cloud API
(tests/fakes/whatsapp_server.py): the group's chair and treasurer hear of a paid order once, however often
the job runs; a message Meta refuses or reports failed reaches the person by e-mail, once; the status webhook
is believed only when signed; each person's choice (WhatsApp, e-mail, both) is kept."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.lookup import find_by_email
from app.core import jobs
from app.core import whatsapp as wa
from app.core.jobs import OutboxJob
from app.core.mail import outbox
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Membership
from app.orders import notify
from app.orders.models import Checkout
from app.orders.status import mark_paid, move_by_group
from tests.support.buying import checkout_body
from tests.support.factories import login, token

CHAIR, TREASURER, SECRETARY, BUYER = "+6281234500001", "+6281234500002", "+6281234500003", "+6281234500009"


def proven(user, number: str):
    """As if she had typed the code sent to her number (the sign-in by phone proves it)."""
    user.phone, user.phone_verified_at = number, utcnow()
    db.session.commit()
    return user


def group_with_officers(make):
    """A group whose chair, treasurer and secretary all have proven numbers, and one product."""
    chair = proven(make.user("ketua@uji.example"), CHAIR)
    group = make.group(chair, name="UPPKS Mawar")
    for email, number, role in (
        ("bendahara@uji.example", TREASURER, "treasurer"),
        ("sekretaris@uji.example", SECRETARY, "secretary"),
    ):
        db.session.add(Membership(group_id=group.id, user_id=proven(make.user(email), number).id, role=role))
    db.session.commit()
    return group, make.product(group, name="Amplang Pipih", price_idr=25000, stock=50)


def paid_checkout(client, make, product, buyer_email: str = "pembeli@uji.example") -> Checkout:
    if find_by_email(buyer_email) is None:
        make.user(buyer_email)
    placed = client.post("/api/v1/checkouts", headers=token(client, buyer_email), json=checkout_body([(product.id, 2)]))
    assert placed.status_code == 201, placed.json
    checkout = db.session.get(Checkout, placed.json["id"])
    mark_paid(checkout, make.admin())
    return checkout


def messages(template: str | None = None) -> list[wa.WhatsAppMessage]:
    db.session.expire_all()
    rows = db.session.scalars(select(wa.WhatsAppMessage).order_by(wa.WhatsAppMessage.id)).all()
    return [r for r in rows if template is None or r.template == template]


def mails_to(address: str, subject_part: str) -> list:
    return [m for m in outbox() if address in m["To"] and subject_part in m["Subject"]]


def test_a_paid_order_tells_the_chair_and_treasurer_once_by_whatsapp_even_when_the_job_runs_twice(
    client, make, whatsapp
):
    _group, amplang = group_with_officers(make)
    checkout = paid_checkout(client, make, amplang)
    order = checkout.orders[0]

    told = [m for m in whatsapp.messages if m["name"] == "pesanan_baru"]
    assert sorted(m["to"] for m in told) == [CHAIR.lstrip("+"), TREASURER.lstrip("+")]
    assert all(m["language"] == "id" and m["params"][0] == order.number for m in told)
    assert all("Rp" in m["params"][1] for m in told)
    # the job runs again (pushed twice, a worker restarted), and the notice is asked for again: nothing more
    for row in messages("pesanan_baru"):
        wa.deliver(row.id)
    notify.checkout_paid(db.session.get(Checkout, checkout.id))
    assert len([m for m in whatsapp.messages if m["name"] == "pesanan_baru"]) == 2
    assert {r.status for r in messages("pesanan_baru")} == {"sent"}
    # the secretary hears by e-mail (WhatsApp is for the chair and the treasurer); they do not get the e-mail too
    assert mails_to("sekretaris@uji.example", f"Pesanan baru {order.number}")
    assert not mails_to("ketua@uji.example", "Pesanan baru") and not mails_to("bendahara@uji.example", "Pesanan baru")


def test_a_message_meta_refuses_goes_by_email_instead(client, make, whatsapp):
    _group, amplang = group_with_officers(make)
    whatsapp.fail_next(132001, times=2)  # the template is not registered (yet) in Meta's account
    checkout = paid_checkout(client, make, amplang)

    number = checkout.orders[0].number
    assert not [m for m in whatsapp.messages if m["name"] == "pesanan_baru"]
    rows = messages("pesanan_baru")
    assert [r.status for r in rows] == ["failed", "failed"] and "132001" in (rows[0].error or "")
    assert len(mails_to("ketua@uji.example", f"Pesanan baru {number}")) == 1
    assert len(mails_to("bendahara@uji.example", f"Pesanan baru {number}")) == 1


def test_a_failed_status_from_the_webhook_falls_back_to_email_once_and_statuses_are_kept(client, make, whatsapp):
    _group, amplang = group_with_officers(make)
    checkout = paid_checkout(client, make, amplang)
    number = checkout.orders[0].number
    chairs = next(m for m in whatsapp.messages if m["to"] == CHAIR.lstrip("+") and m["name"] == "pesanan_baru")
    treasurers = next(m for m in whatsapp.messages if m["to"] == TREASURER.lstrip("+") and m["name"] == "pesanan_baru")

    def post(raw: bytes, signature: str):
        return client.post(
            "/webhooks/whatsapp", data=raw, content_type="application/json", headers={"X-Hub-Signature-256": signature}
        )

    for status in ("delivered", "read", "delivered"):  # out of order: a status never goes back
        raw = whatsapp.status_event(chairs["id"], status)
        assert post(raw, whatsapp.sign(raw)).status_code == 200
    failed = whatsapp.status_event(treasurers["id"], "failed", 131026)
    assert post(failed, whatsapp.sign(failed)).status_code == 200
    assert post(failed, whatsapp.sign(failed)).status_code == 200  # Meta sends it again

    by_number = {r.to: r for r in messages("pesanan_baru")}
    assert by_number[CHAIR].status == "read"
    assert by_number[TREASURER].status == "failed" and "131026" in (by_number[TREASURER].error or "")
    assert len(mails_to("bendahara@uji.example", f"Pesanan baru {number}")) == 1
    assert not mails_to("ketua@uji.example", "Pesanan baru")


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, make, whatsapp):
    _group, amplang = group_with_officers(make)
    paid_checkout(client, make, amplang)
    sent = next(m for m in whatsapp.messages if m["to"] == CHAIR.lstrip("+"))
    raw = whatsapp.status_event(sent["id"], "failed")

    for signature in (whatsapp.sign(raw, secret="bukan-rahasia-kita"), "", "sha256=00"):
        answer = client.post(
            "/webhooks/whatsapp", data=raw, content_type="application/json", headers={"X-Hub-Signature-256": signature}
        )
        assert answer.status_code == 401
    assert {r.status for r in messages("pesanan_baru")} == {"sent"}
    assert not mails_to("ketua@uji.example", "Pesanan baru")
    # Meta's check of the webhook: the challenge echoed for our verify token only
    hub = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    assert (
        client.get("/webhooks/whatsapp", query_string=dict(hub, **{"hub.verify_token": "verifikasi-uji"})).get_data(
            as_text=True
        )
        == "1158201444"
    )
    assert client.get("/webhooks/whatsapp", query_string=dict(hub, **{"hub.verify_token": "salah"})).status_code == 403


def test_each_person_chooses_whatsapp_email_or_both_on_her_account_page(client, make, whatsapp):
    _group, amplang = group_with_officers(make)
    login(client, "ketua@uji.example")
    page = client.get("/account").get_data(as_text=True)
    assert CHAIR in page and 'value="whatsapp" checked' in page
    assert client.post("/account/notices", data={"notify_by": "email"}).status_code == 302
    client.post("/logout")
    login(client, "bendahara@uji.example")
    client.post("/account/notices", data={"notify_by": "both"})
    client.post("/logout")

    checkout = paid_checkout(client, make, amplang)
    number = checkout.orders[0].number
    told = {m["to"] for m in whatsapp.messages if m["name"] == "pesanan_baru"}
    assert told == {TREASURER.lstrip("+")}  # the chair chose e-mail
    assert mails_to("ketua@uji.example", f"Pesanan baru {number}")
    assert mails_to("bendahara@uji.example", f"Pesanan baru {number}")  # both: the e-mail too
    # her WhatsApp fails later: she has had the e-mail already, so none is sent again
    raw = whatsapp.status_event(next(m["id"] for m in whatsapp.messages if m["name"] == "pesanan_baru"), "failed")
    client.post(
        "/webhooks/whatsapp",
        data=raw,
        content_type="application/json",
        headers={"X-Hub-Signature-256": whatsapp.sign(raw)},
    )
    assert len(mails_to("bendahara@uji.example", f"Pesanan baru {number}")) == 1


def test_the_buyer_with_a_proven_number_hears_of_payment_shipping_and_delivery_by_whatsapp(client, make, whatsapp):
    group, amplang = group_with_officers(make)
    proven(make.user("pembeli@uji.example"), BUYER)
    checkout = paid_checkout(client, make, amplang)
    order = checkout.orders[0]
    chair = make.chair_of(group)
    move_by_group(chair, order.id, "processing")
    move_by_group(chair, order.id, "shipped", tracking_number="JNE0012345678")
    move_by_group(chair, order.id, "delivered")

    heard = [(m["name"], m["params"]) for m in whatsapp.sent_to(BUYER)]
    assert [t for t, _p in heard] == ["pesanan_dibayar", "pesanan_dikirim", "pesanan_sampai"]
    assert heard[0][1][0] == checkout.number and checkout.access_key in heard[0][1][1]
    assert heard[1][1] == [order.number, "UPPKS Mawar", "JNE0012345678"]
    # "processing" is for e-mail only, and the WhatsApp ones are not e-mailed to her as well
    assert mails_to("pembeli@uji.example", "disiapkan") and not mails_to("pembeli@uji.example", "dikirim")


def test_without_a_whatsapp_key_messages_are_written_to_the_log(client, make, caplog):
    _group, amplang = group_with_officers(make)
    with caplog.at_level("INFO", logger="app.core.whatsapp"):
        paid_checkout(client, make, amplang)
    assert any("pesanan_baru" in r.getMessage() and CHAIR in r.getMessage() for r in caplog.records)
    assert {r.status for r in messages("pesanan_baru")} == {"sent"}


def test_a_busy_whatsapp_is_tried_again_and_sent_once(client, make, whatsapp):
    _group, amplang = group_with_officers(make)
    whatsapp.fail_next(130429, times=2)  # Meta's rate limit, for the chair's and the treasurer's first try
    checkout = paid_checkout(client, make, amplang)
    number = checkout.orders[0].number
    if not jobs.queued():  # no queue to try again later (the SQLite demo): the e-mail goes at once instead
        assert [r.status for r in messages("pesanan_baru")] == ["failed", "failed"]
        assert mails_to("ketua@uji.example", f"Pesanan baru {number}")
        return
    rows = messages("pesanan_baru")
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1), ("pending", 1)] and "130429" in (
        rows[0].error or ""
    )
    # the queue's next try (RQ runs the outbox row again), twice over: each goes once
    waiting = db.session.scalars(
        select(OutboxJob).where(OutboxJob.task == "whatsapp.deliver", OutboxJob.status != "done")
    ).all()
    assert len(waiting) == 2
    for row in waiting * 2:
        jobs.run_outbox(row.id)
    assert sorted(m["to"] for m in whatsapp.messages if m["name"] == "pesanan_baru") == [CHAIR[1:], TREASURER[1:]]
    assert {r.status for r in messages("pesanan_baru")} == {"sent"} and not mails_to(
        "ketua@uji.example", "Pesanan baru"
    )
