"""The book itself: a posting balances or is refused, a key posts once (also from two servers at once on
PostgreSQL), and `flask ledger check` finds a kept balance that disagrees with its entries."""

from __future__ import annotations

import threading

import pytest

from app import create_app
from app.extensions import db
from app.ledger import book, fees
from app.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting, PostingKind


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_a_posting_that_does_not_balance_is_refused_and_writes_nothing(app):
    with pytest.raises(ValueError, match="does not balance"):
        book.post("paid:order:1", PostingKind.SALE, [("clearing:stripe", -1000), ("group:1:pending", 999)], source="x")
    with pytest.raises(ValueError):
        book.post("empty", PostingKind.SALE, [("clearing:stripe", 0)], source="x")
    db.session.commit()
    assert (_count(LedgerPosting), _count(LedgerEntry)) == (0, 0)


def test_the_same_key_posts_once_and_balances_move_once(app, make):
    group = make.group()
    lines = [("clearing:stripe", -150_000), (f"group:{group.id}:pending", 150_000)]
    first = book.post("paid:order:7", PostingKind.SALE, lines, source="stripe:pi_1", order_id=7)
    again = book.post("paid:order:7", PostingKind.SALE, lines, source="stripe:pi_1", order_id=7)
    db.session.commit()
    assert first.id == again.id and _count(LedgerPosting) == 1 and _count(LedgerEntry) == 2
    assert book.balance(f"group:{group.id}:pending") == 150_000 and book.balance("clearing:stripe") == -150_000
    account = db.session.scalar(db.select(LedgerAccount).where(LedgerAccount.code == f"group:{group.id}:pending"))
    assert account.group_id == group.id
    assert book.check().ok


@pytest.mark.ledger_tampered
def test_ledger_check_names_a_balance_that_disagrees_with_its_entries(app, runner):
    book.post("adjust:1", PostingKind.ADJUSTMENT, [("platform:fees", 500), ("clearing:bank", -500)], source="admin")
    db.session.commit()
    assert runner.invoke(args=["ledger", "check"]).exit_code == 0
    db.session.execute(db.update(LedgerAccount).where(LedgerAccount.code == "platform:fees").values(balance_idr=900))
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and "account platform:fees: kept balance 900, its entries sum to 500" in result.output


def test_fees_round_half_up_and_a_fixed_cost_is_shared_to_the_rupiah(app):
    app.config.update(PLATFORM_FEE_PERCENT="2.5", PLATFORM_FEE_IDR=0, PROVIDER_COSTS_BORNE_BY="group")
    # a virtual account's Rp 4.000 per payment, shared by three orders in proportion to their totals
    shares = fees.fees_for("va_bca", [(10_000, 10_000), (10_000, 10_000), (10_000, 10_000)])
    assert sum(f.provider_cost_idr for f in shares) == 4000
    assert [f.fee_idr for f in shares] == [250 + f.provider_cost_idr for f in shares]
    assert all(f.fee_idr + f.net_idr == 10_000 for f in shares)
    assert fees.basis_points("0.7%") == 70 and fees.basis_points("2.9") == 290
    app.config.update(PROVIDER_COSTS_BORNE_BY="platform")
    [card] = fees.fees_for("stripe", [(100_000, 118_000)])
    assert (card.fee_idr, card.provider_cost_idr, card.net_idr) == (2500, 3422, 115_500)


@pytest.mark.postgresql_only
def test_two_servers_posting_the_same_key_at_once_post_it_once(backend, app, make, migrated, tmp_path):
    group = make.group()
    code = f"group:{group.id}:pending"
    worker_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 12, "max_overflow": 0},
        }
    )
    start = threading.Barrier(10)
    results: list = []
    lock = threading.Lock()

    def deliver(i: int) -> None:  # the same webhook, delivered to ten servers at once
        with worker_app.app_context():
            db.session.connection()
            start.wait(timeout=30)
            try:
                posting = book.post(
                    "paid:order:42",
                    PostingKind.SALE,
                    [("clearing:midtrans", -80_000), (code, 80_000)],
                    source=f"midtrans:tx-{i}",
                    order_id=42,
                )
                db.session.commit()
                outcome = ("ok", posting.source)
            except Exception as exc:  # any failure is the test's to report
                outcome = ("error", repr(exc))
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with worker_app.app_context():
        db.engine.dispose()
    assert len(results) == 10 and all(r[0] == "ok" for r in results), results
    assert len({source for _ok, source in results}) == 1  # every server answered with the one posting written
    db.session.expire_all()
    assert _count(LedgerPosting) == 1 and _count(LedgerEntry) == 2
    assert book.balance(code) == 80_000 and book.balance("clearing:midtrans") == -80_000
    assert book.check().ok
