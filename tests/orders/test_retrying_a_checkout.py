"""A checkout sent eight times at once with one Idempotency-Key is placed once, and every try gets the
same answer."""

import threading

from app import create_app
from app.extensions import db
from app.orders.models import Checkout
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import token


def test_eight_concurrent_checkouts_with_one_key_get_one_answer(app, make, migrated, tmp_path, backend):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    headers = dict(token(app.test_client(), "pembeli@uji.example"), **{"Idempotency-Key": "sekali-saja"})
    body = checkout_body([(amplang.id, 2)])
    db.session.commit()
    worker_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 0} if backend == "postgresql" else {},
        }
    )
    start = threading.Barrier(8)
    answers: list = []
    lock = threading.Lock()

    def post() -> None:
        with worker_app.app_context():
            client = worker_app.test_client()
            start.wait(timeout=30)
            response = client.post("/api/v1/checkouts", headers=headers, json=body)
            with lock:
                answers.append((response.status_code, response.get_json()))
            db.session.remove()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    with worker_app.app_context():
        db.engine.dispose()
    assert [status for status, _ in answers] == [201] * 8
    assert all(answer == answers[0][1] for _, answer in answers)
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 1
