"""A group that changes a verified permit's dates, number or scan sends it back to an officer: the product
counts as without a valid permit until an officer decides again, and the decisions log says who changed it."""

from app.accounts.models import Decision
from app.catalog.models import Permit
from app.extensions import db
from tests.support.factories import jpeg, token


def _verified_permit(make, expires_on="2027-06-30", issued_on="2022-06-30"):
    group = make.group()
    product = make.product(
        group, permits=[{"type": "pirt", "number": "206647201002925", "issued_on": issued_on, "expires_on": expires_on}]
    )
    from app.officers.decisions import decide_permit

    decide_permit(make.admin(), product.permits[0].id, "verified")
    db.session.expire_all()
    assert product.permits[0].status == "verified" and product.permit_valid_until is not None
    return group, product


def test_moving_a_verified_permits_expiry_sends_it_back(client, make):
    group, product = _verified_permit(make)
    auth = token(client, make.chair_of(group).email)
    answer = client.patch(
        f"/api/v1/products/{product.id}",
        headers=auth,
        json={"permits": [{"type": "pirt", "number": "206647201002925", "expires_on": "2099-12-31"}]},
    )
    assert answer.status_code == 200, answer.json
    db.session.expire_all()
    permit = product.permits[0]
    assert permit.status == "submitted" and permit.expires_on.isoformat() == "2099-12-31"
    assert permit.issued_on.isoformat() == "2022-06-30"  # left out of the PATCH: kept
    assert product.permit_valid_until is None  # not counted as a valid permit any more
    log = db.session.scalars(
        db.select(Decision).where(Decision.kind == "permit", Decision.object_id == permit.id).order_by(Decision.id)
    ).all()
    assert [d.decision for d in log] == ["verified", "resubmitted"]
    assert log[-1].actor_id == make.chair_of(group).id
    assert answer.json["permits"][0]["status"] == "submitted"


def test_changing_a_verified_permits_number_or_scan_sends_it_back(client, make):
    group, product = _verified_permit(make)
    auth = token(client, make.chair_of(group).email)
    client.patch(
        f"/api/v1/products/{product.id}",
        headers=auth,
        json={
            "permits": [
                {"type": "pirt", "number": "2066472010029-26", "issued_on": "2022-06-30", "expires_on": "2027-06-30"}
            ]
        },
    )
    db.session.expire_all()
    assert [(p.number, p.status) for p in product.permits] == [("206647201002926", "submitted")]
    from app.catalog import permit_changes as catalog
    from app.officers.decisions import decide_permit

    decide_permit(make.admin(), product.permits[0].id, "verified")
    catalog.add_permit_document(make.chair_of(group), product.id, product.permits[0].id, jpeg())
    db.session.expire_all()
    assert product.permits[0].status == "submitted" and product.permit_valid_until is None
    # nothing changed: the decision stands
    decide_permit(make.admin(), product.permits[0].id, "verified")
    client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"name": "Amplang Baru"})
    db.session.expire_all()
    assert db.session.scalar(db.select(Permit.status)) == "verified"
