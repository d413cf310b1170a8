"""A guest (no account) acts on her order through her checkout's link, the credential she already pays and
uploads her transfer proof with: she presses "Pesanan diterima", complains with a photo, follows the
complaint, accepts the group's answer and gives her bank account for a refund made by hand. The link reaches
that checkout's orders and complaints only."""

from __future__ import annotations

import io

import pytest

from app.core.errors import Conflict, NotFound
from app.core.mail import outbox
from app.extensions import db
from app.orders.checkout import CheckoutRequest, place_checkout
from app.orders.complaint_models import Complaint
from app.orders.complaints import complaint_for
from app.orders.models import Checkout, Order
from app.orders.return_models import ReturnShipment
from app.orders.services import Buyer, buyer_by_link
from app.orders.status import confirm_receipt, mark_paid, move_by_group
from tests.ledger.helpers import balance_of, ledger_ok
from tests.support.buying import ADDRESS, two_groups
from tests.support.factories import document, jpeg, login

CRUSHED = {"reason": "damaged", "description": "Amplangnya remuk semua, kemasan sobek.", "quantity": "1"}
BANK = {"bank_name": "BRI", "account_number": "0123 4567 8901", "account_name": "Sari Wulandari"}


def _guest_checkout(items, email: str = "tamu@uji.example") -> Checkout:
    """A guest's checkout paid by bank transfer to the platform's account (confirmed)."""
    request = CheckoutRequest(
        items=items, shipping_address=dict(ADDRESS), payment_method="bank_transfer", email=email, phone="0812345000"
    )
    checkout = place_checkout(None, request)
    assert checkout.user_id is None
    mark_paid(checkout)
    return checkout


def _order_of(checkout: Checkout, group) -> Order:
    return next(o for o in checkout.orders if o.group_id == group.id)


def _deliver(order: Order) -> None:
    chair = order.group.memberships[0].user
    move_by_group(chair, order.id, "processing")
    move_by_group(chair, order.id, "shipped", tracking_number="JNE0012345")
    move_by_group(chair, order.id, "delivered")


def _complain(guest, checkout: Checkout, order: Order, photo: bytes | None = None):
    data: dict = dict(CRUSHED)
    if photo is not None:
        data["file"] = (io.BytesIO(photo), "remuk.jpg")
    return guest.post(
        f"/checkout/{checkout.access_key}/orders/{order.id}/complain", data=data, content_type="multipart/form-data"
    )


def test_a_guest_presses_pesanan_diterima_through_her_link_and_a_wrong_link_gets_404(app, make):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    checkout = _guest_checkout([(amplang.id, 2), (keripik.id, 2)])
    amplang_order, keripik_order = _order_of(checkout, samarinda), _order_of(checkout, bengkulu)
    _deliver(amplang_order)
    guest = app.test_client()
    page = guest.get(f"/checkout/{checkout.access_key}").get_data(as_text=True)
    assert page.count("Pesanan sudah saya terima") == 1  # the delivered order only; the other is not shipped
    assert f'id="received-{amplang_order.id}"' in page
    wrong = guest.post(f"/checkout/{'x' * len(checkout.access_key)}/orders/{amplang_order.id}/received")
    assert wrong.status_code == 404
    with pytest.raises(NotFound):
        buyer_by_link(None, "bukan-kunci")
    with pytest.raises(Conflict):  # the rules are the status machine's: the other order is not shipped yet
        confirm_receipt(buyer_by_link(None, checkout.access_key), keripik_order.id)
    answer = guest.post(
        f"/checkout/{checkout.access_key}/orders/{amplang_order.id}/received", follow_redirects=True
    ).get_data(as_text=True)
    assert "Terima kasih! Pesanan selesai." in answer and "beri ulasan" not in answer  # a review needs an account
    db.session.expire_all()
    assert amplang_order.status == "completed" and keripik_order.status == "paid"
    last = amplang_order.events[-1]
    assert last.actor_id is None and "tautan pesanan" in (last.note or "")
    assert balance_of(guest, samarinda)["available_idr"] == amplang_order.net_idr  # the group's money released
    ledger_ok(app)


def test_a_link_reaches_only_its_own_checkouts_orders_and_complaints(app, make):
    samarinda, _b, amplang, _k = two_groups(make)
    mine = _guest_checkout([(amplang.id, 1)], "sari@uji.example")
    theirs = _guest_checkout([(amplang.id, 2)], "dewi@uji.example")
    my_order, their_order = _order_of(mine, samarinda), _order_of(theirs, samarinda)
    for order in (my_order, their_order):
        _deliver(order)
    guest, other = app.test_client(), app.test_client()
    assert _complain(guest, mine, my_order, jpeg()).status_code == 302
    assert _complain(other, theirs, their_order, jpeg()).status_code == 302
    ours, their_complaint = (
        db.session.scalars(db.select(Complaint).where(Complaint.order_id == o.id)).one()
        for o in (my_order, their_order)
    )
    assert ours.user_id is None and len(their_complaint.photos) == 1
    key, cid, pid = mine.access_key, their_complaint.id, their_complaint.photos[0].id
    assert guest.get(f"/checkout/{key}/complaints/{ours.id}").status_code == 200
    assert guest.get(f"/checkout/{key}/complaints/{cid}").status_code == 404
    assert guest.get(f"/checkout/{key}/complaints/{cid}/photos/{pid}").status_code == 404
    for step in ("accept", "escalate", "bank"):
        assert guest.post(f"/checkout/{key}/complaints/{cid}/{step}", data=BANK).status_code == 404, step
    added = guest.post(f"/checkout/{key}/complaints/{cid}/photo", data={"file": (io.BytesIO(jpeg()), "a.jpg")})
    assert added.status_code == 404 and len(their_complaint.photos) == 1
    assert _complain(guest, mine, their_order).status_code == 404  # her link does not open their order
    assert guest.post(f"/checkout/{key}/orders/{their_order.id}/received").status_code == 404
    signed_out = guest.get(f"/complaints/{cid}")  # without a link, the complaint's page asks to sign in
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    with pytest.raises(NotFound):
        complaint_for(Buyer(None, mine), cid)
    assert complaint_for(Buyer(None, theirs), cid)[1] == "buyer"


def test_a_guests_complaint_reaches_the_group_and_her_refund_is_made_by_hand_to_her_bank(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    checkout = _guest_checkout([(amplang.id, 2)])
    order = _order_of(checkout, samarinda)
    _deliver(order)
    guest = app.test_client()
    opened = _complain(guest, checkout, order, jpeg())
    complaint = db.session.scalars(db.select(Complaint)).one()
    assert opened.headers["Location"].endswith(f"/checkout/{checkout.access_key}/complaints/{complaint.id}")
    page = app.test_client().get(opened.headers["Location"])  # the link opened from her e-mail, no session yet
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    mine = guest.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Menunggu jawaban kelompok" in mine and "Amplangnya remuk semua" in mine
    assert f"/checkout/{checkout.access_key}/complaints/{complaint.id}/photos/" in mine  # her photo, by her link

    login(client, "ketua.smd@uji.example")
    orders = client.get(f"/groups/{samarinda.slug}/orders?status=complaints").get_data(as_text=True)
    assert "Amplangnya remuk semua" in orders and "1 foto" in orders
    status, mimetype, _data = document(client.get(f"/complaints/{complaint.id}/photos/{complaint.photos[0].id}"))
    assert (status, mimetype) == (200, "image/webp")
    half = (order.total_idr - order.shipping_idr) // 2
    client.post(f"/complaints/{complaint.id}/respond", data={"resolution": "partial_refund", "amount_idr": half})
    told = outbox()[-1]
    assert told["To"] == "tamu@uji.example"
    assert f"/checkout/{checkout.access_key}/complaints/{complaint.id}" in told.get_body().get_content()

    choice = guest.get(f"/checkout/{checkout.access_key}/complaints/{complaint.id}").get_data(as_text=True)
    assert "rekening bank Anda" in choice  # paid by transfer: the refund is transferred by hand
    done = guest.post(f"/checkout/{checkout.access_key}/complaints/{complaint.id}/accept", data=BANK)
    assert done.status_code == 302
    db.session.expire_all()
    assert (complaint.status, complaint.refund_idr, complaint.refund_state) == ("resolved", half, "by_hand")
    assert (complaint.bank_account_number, complaint.bank_account_name) == ("0123 4567 8901", "Sari Wulandari")
    assert [(m.role, m.action, m.author_id) for m in complaint.messages if m.role == "buyer"] == [
        ("buyer", "opened", None),
        ("buyer", "accepted", None),
    ]
    ledger_ok(app)


def test_a_guests_photo_uploads_are_limited_as_her_transfer_proof_is(app, make):
    samarinda, _b, amplang, _k = two_groups(make)
    checkout = _guest_checkout([(amplang.id, 2)])
    order = _order_of(checkout, samarinda)
    _deliver(order)
    guest = app.test_client()
    _complain(guest, checkout, order)
    complaint = db.session.scalars(db.select(Complaint)).one()
    app.config["RATELIMIT_ENABLED"] = True
    statuses = [
        guest.post(
            f"/checkout/{checkout.access_key}/complaints/{complaint.id}/photo",
            data={"file": (io.BytesIO(b"x"), "x.jpg")},
            content_type="multipart/form-data",
            environ_base={"REMOTE_ADDR": "10.9.9.8"},
        ).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 302 and statuses[-1] == 429


def test_a_guest_who_disagrees_escalates_by_her_link_and_an_admin_sees_it(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    checkout = _guest_checkout([(amplang.id, 2)])
    order = _order_of(checkout, samarinda)
    _deliver(order)
    guest = app.test_client()
    _complain(guest, checkout, order)
    complaint = db.session.scalars(db.select(Complaint)).one()
    login(client, "ketua.smd@uji.example")
    client.post(f"/complaints/{complaint.id}/respond", data={"resolution": "reject", "note": "Dikirim utuh."})
    link = f"/checkout/{checkout.access_key}/complaints/{complaint.id}"
    assert guest.post(f"{link}/escalate", data={"note": "Foto menunjukkan remuk."}).status_code == 302
    page = guest.get(link).get_data(as_text=True)
    assert "Diteruskan ke admin" in page and "Foto menunjukkan remuk." in page
    assert guest.post(f"{link}/accept").status_code == 302  # too late to accept: said on the page, nothing moves
    db.session.expire_all()
    assert complaint.status == "escalated" and complaint.messages[-1].author_id is None
    client.post("/logout")
    login(client, make.admin().email)
    assert f"/complaints/{complaint.id}" in client.get("/admin/complaints").get_data(as_text=True)


def test_a_guest_sends_the_goods_back_by_her_link_and_another_link_cannot_reach_the_return(app, client, make, biteship):
    samarinda, _b, amplang, _k = two_groups(make)
    samarinda.address, samarinda.postal_code = "Jl. Mawar No. 1", "75119"  # where a courier brings it back
    checkout = _guest_checkout([(amplang.id, 2)])
    stranger = _guest_checkout([(amplang.id, 1)], "dewi@uji.example")
    order = _order_of(checkout, samarinda)
    _deliver(order)
    guest = app.test_client()
    _complain(guest, checkout, order, jpeg())
    complaint = db.session.scalars(db.select(Complaint)).one()
    login(client, "ketua.smd@uji.example")
    answer = {"resolution": "refund", "return_goods": "1", "note": "Mohon kirim barangnya kembali."}
    client.post(f"/complaints/{complaint.id}/respond", data=answer)
    link = f"/checkout/{checkout.access_key}/complaints/{complaint.id}"
    asked = guest.get(link).get_data(as_text=True)
    assert "Kelompok meminta barangnya dikembalikan" in asked
    guest.post(f"{link}/accept", data=BANK)
    ret = db.session.scalars(db.select(ReturnShipment)).one()
    page = guest.get(link).get_data(as_text=True)
    back = f"/checkout/{checkout.access_key}/returns/{ret.id}"
    assert back in page and "Kirim barang kembali" in page  # her complaint leads to her return, by her link
    assert "Minta dijemput" in guest.get(back).get_data(as_text=True)  # damaged: the group pays the pick-up
    assert app.test_client().get(f"/checkout/{stranger.access_key}/returns/{ret.id}").status_code == 404
    signed_out = app.test_client().get(f"/returns/{ret.id}")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    sent = guest.post(f"{back}/waybill", data={"courier": "jne", "waybill": "CGK5566778899"})
    assert sent.headers["Location"].endswith(back)
    assert "CGK5566778899" in guest.get(back).get_data(as_text=True)
    group_page = client.get(f"/returns/{ret.id}").get_data(as_text=True)
    assert "CGK5566778899" in group_page and "Barang kembali diterima" in group_page
    client.post(f"/returns/{ret.id}/received")
    db.session.expire_all()
    assert (complaint.refund_idr, complaint.refund_state) == (order.total_idr, "by_hand")
    ledger_ok(app)
