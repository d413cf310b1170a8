"""Which status moves an order may make, and who may make each; how long a checkout link works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.errors import Conflict
from app.orders import labels
from app.orders.models import ORDER_STATUSES, Checkout, Order
from app.orders.services import LINK_LIFETIME, link_alive
from app.orders.status import MOVES, move, next_statuses

NOW = datetime(2026, 8, 17, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "start, to, who",
    [
        ("pending_payment", "paid", "system"),  # the payment arrives
        ("pending_payment", "cancelled", "system"),  # unpaid past its deadline
        ("paid", "processing", "group"),
        ("invoiced", "processing", "group"),  # a business buyer on terms: the group starts before the money
        ("processing", "shipped", "group"),
        ("shipped", "delivered", "group"),
        ("shipped", "completed", "buyer"),  # the buyer confirms receipt
        ("delivered", "completed", "buyer"),
        ("cancelled", "refunded", "system"),
    ],
)
def test_each_allowed_move_has_one_kind_of_actor(start, to, who):
    assert MOVES[start][to] == who


@pytest.mark.parametrize("start", ["paid", "invoiced", "processing"])
def test_the_group_may_cancel_until_the_parcel_leaves(start):
    assert MOVES[start]["cancelled"] == "group"


@pytest.mark.parametrize("start", ["shipped", "delivered", "completed", "refunded"])
def test_nobody_cancels_an_order_once_it_is_on_its_way_or_done(start):
    assert "cancelled" not in MOVES.get(start, {})


@pytest.mark.parametrize("start", ["completed", "refunded"])
def test_a_finished_order_moves_no_more(start):
    assert MOVES.get(start, {}) == {}


def test_only_the_buyer_completes_an_order_and_only_the_system_marks_it_paid():
    completers = {who for moves in MOVES.values() for to, who in moves.items() if to == "completed"}
    payers = {who for moves in MOVES.values() for to, who in moves.items() if to == "paid"}
    assert (completers, payers) == ({"buyer"}, {"system"})


def test_every_status_an_order_can_reach_is_a_known_status_with_a_label():
    reachable = set(MOVES) | {to for moves in MOVES.values() for to in moves}
    assert reachable <= set(ORDER_STATUSES)
    assert set(ORDER_STATUSES) <= set(labels.STATUS_LABELS)
    # the group's buttons have a label for every move the group may make
    group_moves = {to for moves in MOVES.values() for to, who in moves.items() if who == "group"}
    assert group_moves <= set(labels.MOVE_LABELS)


def test_a_move_changes_the_status_and_is_written_in_the_orders_history():
    order = Order(status="processing")
    move(order, "shipped", None, "JNE 0123456789")
    assert order.status == "shipped"
    [event] = order.events
    assert (event.from_status, event.to_status, event.actor_id, event.note) == (
        "processing",
        "shipped",
        None,
        "JNE 0123456789",
    )


def test_an_order_goes_from_payment_to_completion_one_step_at_a_time():
    order = Order(status="pending_payment")
    for to in ("paid", "processing", "shipped", "delivered", "completed"):
        move(order, to, None)
    assert [(e.from_status, e.to_status) for e in order.events] == [
        ("pending_payment", "paid"),
        ("paid", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
    ]


@pytest.mark.parametrize(
    "start, to",
    [
        ("pending_payment", "shipped"),  # nothing is shipped before it is paid
        ("paid", "completed"),
        ("delivered", "cancelled"),
        ("completed", "refunded"),
        ("shipped", "paid"),  # no way back
    ],
)
def test_a_move_that_skips_or_goes_back_is_refused_and_leaves_the_order_as_it_was(start, to):
    order = Order(status=start)
    with pytest.raises(Conflict) as refused:
        move(order, to, None)
    assert refused.value.errors == {"status": ["Perpindahan status ini tidak diizinkan."]}
    assert order.status == start and order.events == []


# ---------------------------------------------------------------- the link in the buyer's e-mail


def _checkout(status="pending_payment", placed=NOW - timedelta(hours=1), deadline=NOW + timedelta(hours=23)):
    return Checkout(status=status, created_at=placed, expires_at=deadline)


def test_the_link_to_an_unpaid_checkout_works_until_its_payment_deadline():
    assert link_alive(_checkout(), now=NOW)
    assert not link_alive(_checkout(deadline=NOW - timedelta(seconds=1)), now=NOW)


@pytest.mark.parametrize("status", ["expired", "cancelled"])
def test_the_link_to_an_expired_or_cancelled_checkout_no_longer_works(status):
    assert not link_alive(_checkout(status=status), now=NOW)


def test_the_link_to_a_paid_checkout_works_for_six_months_after_it_was_placed():
    deadline_passed = NOW - timedelta(days=1)
    assert link_alive(
        _checkout("paid", placed=NOW - LINK_LIFETIME + timedelta(minutes=1), deadline=deadline_passed), now=NOW
    )
    assert not link_alive(_checkout("paid", placed=NOW - LINK_LIFETIME, deadline=deadline_passed), now=NOW)
    assert timedelta(days=180) == LINK_LIFETIME


def test_order_and_checkout_numbers_carry_the_day_they_were_placed():
    placed = datetime(2026, 8, 17, 3, 0, tzinfo=UTC)
    assert Order(id=42, created_at=placed).number == "PU260817-000042"
    assert Checkout(id=7, created_at=placed).number == "CK260817-000007"


@pytest.mark.parametrize(
    "start, who, offered",
    [
        ("paid", "group", ["processing", "cancelled"]),
        ("invoiced", "group", ["processing", "cancelled"]),  # a hotel's order on terms is prepared like a paid one
        ("processing", "group", ["shipped", "cancelled"]),
        ("shipped", "group", ["delivered"]),
        ("shipped", "buyer", ["completed"]),
        ("delivered", "buyer", ["completed"]),
        ("pending_payment", "group", []),  # not before the money (or the invoice)
        ("completed", "buyer", []),
    ],
)
def test_the_pages_offer_exactly_the_moves_of_the_table(start, who, offered):
    assert next_statuses(Order(status=start), who) == offered
