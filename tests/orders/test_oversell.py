"""No oversell: the last units go to exactly as many buyers as there are units, under real
concurrent transactions on PostgreSQL (each thread its own connection)."""

import threading

import pytest

from app import create_app
from app.core.errors import Conflict
from app.extensions import db
from app.orders import checkout as checkouts
from app.orders.models import Checkout
from tests.support.buying import ADDRESS, stock_of


@pytest.mark.postgresql_only
def test_twenty_buyers_five_units(backend, app, make, migrated, tmp_path):
    group = make.group()
    product = make.product(group, name="Amplang Edisi Terbatas", stock=5, price_idr=30000)
    product_id = product.id  # the threads must not touch this test's session
    worker_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 25, "max_overflow": 0},
        }
    )
    start = threading.Barrier(20)
    results: list = []
    lock = threading.Lock()

    def buy(i: int) -> None:
        with worker_app.app_context():
            req = checkouts.CheckoutRequest(
                items=[(product_id, 1)],
                shipping_address=ADDRESS,
                payment_method="bank_transfer",
                email=f"pembeli{i}@uji.example",
                phone="081234500000",
            )
            db.session.connection()  # hold a connection before the start line, so all 20 race
            start.wait(timeout=30)
            try:
                checkouts.place_checkout(None, req)
                outcome = ("ok", None)
            except Conflict as exc:
                outcome = ("409", exc)
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with worker_app.app_context():
        db.engine.dispose()
    winners = [r for r in results if r[0] == "ok"]
    losers = [r[1] for r in results if r[0] == "409"]
    assert len(results) == 20
    assert len(winners) == 5
    assert len(losers) == 15
    assert stock_of(product) == 0
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 5
    for exc in losers:
        assert exc.status == 409
        assert any("Amplang Edisi Terbatas: stok tinggal" in m for ms in exc.errors.values() for m in ms)
