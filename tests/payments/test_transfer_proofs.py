"""A buyer's transfer proof is private (the buyer, through the checkout's link, and the admins see it;
nobody else, and never from /media), and uploading one costs bounded work: an image that is small to send but
huge to decode is refused, and guests are limited per address."""

import io

from app.extensions import db
from app.orders.models import Checkout
from tests.support.buying import checkout_body, checkout_with_proof, two_groups
from tests.support.factories import document, login, png, token


def test_transfer_proofs_are_private(app, client, make):
    checkout, amplang = checkout_with_proof(client, make)
    from app.payments.models import Payment

    key = db.session.scalar(db.select(Payment.proof_key))
    assert key
    assert app.test_client().get(f"/media/{key}").status_code == 404
    own = app.test_client().get(f"/checkout/{checkout.access_key}/proof")
    assert document(own)[:2] == (200, "image/webp") and own.headers["Cache-Control"] == "private, no-store"
    admin = app.test_client()
    login(admin, make.admin().email)
    assert document(admin.get(f"/transfers/{checkout.id}/proof"))[0] == 200
    other = app.test_client()
    make.user("orang.lain@uji.example")
    login(other, "orang.lain@uji.example")
    assert other.get(f"/transfers/{checkout.id}/proof").status_code == 404


def test_uploads_have_bounded_cost(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    key = db.session.get(Checkout, placed.json["id"]).access_key
    big = png((5000, 5000))  # 25 MP of one colour: a few KB that would decode to ~100 MB
    assert len(big) < 200_000
    answer = client.post(
        f"/checkout/{key}/proof",
        data={"file": (io.BytesIO(big), "bukti.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "terlalu" in answer.get_data(as_text=True).lower()
    from app.payments.models import Payment

    assert db.session.scalar(db.select(Payment.proof_key)) is None
    # guests upload without an account: counted per address
    app.config["RATELIMIT_ENABLED"] = True
    guest = app.test_client()
    statuses = [
        guest.post(
            f"/checkout/{key}/proof",
            data={"file": (io.BytesIO(b"x"), "x.jpg")},
            content_type="multipart/form-data",
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        ).status_code
        for _ in range(12)
    ]
    assert statuses[-1] == 429
