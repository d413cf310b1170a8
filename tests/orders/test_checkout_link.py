"""A guest's checkout link stops working when the checkout ends; the buyer who placed it, signed in,
still sees it."""

from datetime import timedelta

from app.core.types import utcnow
from app.extensions import db
from tests.support.buying import checkout_with_proof
from tests.support.factories import login


def test_the_checkout_link_ends_with_the_checkout(app, client, make):
    checkout, _amplang = checkout_with_proof(client, make)
    link = f"/checkout/{checkout.access_key}"
    assert app.test_client().get(link).status_code == 200
    checkout.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(link).status_code == 404
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    assert buyer.get(link).status_code == 200  # its buyer, signed in, still sees it
