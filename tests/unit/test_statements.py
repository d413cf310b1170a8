"""Sales statements for a lender: the period, the fingerprint that shows tampering, what the platform
vouches for, and the months of the sales book."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.errors import ValidationFailed
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.sales.models import OfflineSale, SalesStatement
from app.sales.services import _month_bounds, parse_month
from app.sales.statements import _add_months, digest, state_of, vouched_idr


@pytest.mark.parametrize(
    "start, months, first_day",
    [
        (date(2026, 8, 1), -3, date(2026, 5, 1)),  # a statement of the last 3 complete months, issued in August
        (date(2026, 8, 1), -12, date(2025, 8, 1)),
        (date(2026, 2, 1), -6, date(2025, 8, 1)),  # back across the new year
        (date(2026, 11, 1), 1, date(2026, 12, 1)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 1)),  # always the first of the month
    ],
)
def test_a_statements_period_starts_on_the_first_of_a_month(start, months, first_day):
    assert _add_months(start, months) == first_day


def _statement(**changes):
    snapshot = {"version": 2, "code": "ABCD234567", "seen_idr": 4_500_000, "platform_idr": 6_000_000}
    row = SalesStatement(
        snapshot=snapshot, snapshot_hash=digest(snapshot), revoked_at=None, expires_at=utcnow() + timedelta(days=90)
    )
    for key, value in changes.items():
        setattr(row, key, value)
    return row


def test_the_fingerprint_does_not_depend_on_the_order_of_the_figures():
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})
    assert len(digest({})) == 64


def test_a_statement_as_issued_is_valid():
    assert state_of(_statement()) == "valid"


def test_a_figure_changed_after_issue_shows_the_statement_as_altered():
    row = _statement()
    row.snapshot = dict(row.snapshot, seen_idr=45_000_000)
    assert state_of(row) == "altered"


def test_a_revoked_statement_says_so_even_before_it_expires():
    assert state_of(_statement(revoked_at=utcnow())) == "revoked"
    assert state_of(_statement(revoked_at=utcnow(), expires_at=utcnow() - timedelta(days=1))) == "revoked"


def test_a_statement_past_its_ninety_days_is_expired():
    assert state_of(_statement(expires_at=utcnow() - timedelta(seconds=1))) == "expired"


def test_the_platform_vouches_only_for_the_money_it_saw_arrive():
    assert vouched_idr({"version": 2, "seen_idr": 4_500_000, "platform_idr": 6_000_000}) == 4_500_000
    # a statement issued before the kinds of money were kept apart vouches for no figure
    assert vouched_idr({"platform_idr": 6_000_000}) is None
    assert vouched_idr({"version": 1, "platform_idr": 6_000_000}) is None


# ---------------------------------------------------------------- the sales book's months


@pytest.mark.parametrize(
    "raw, month", [("2026-11", date(2026, 11, 1)), ("2026-1", date(2026, 1, 1)), (" 2026-03 ", date(2026, 3, 1))]
)
def test_a_month_in_the_address_is_read_as_its_first_day(raw, month):
    assert parse_month(raw) == month


def test_no_month_is_this_month_in_indonesia():
    assert parse_month("") == today_wib().replace(day=1)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2026-13", "Bulan tidak ada: tahun 1900 sampai 2999, bulan 01 sampai 12."),
        ("2026-00", "Bulan tidak ada: tahun 1900 sampai 2999, bulan 01 sampai 12."),
        ("3000-01", "Bulan tidak ada: tahun 1900 sampai 2999, bulan 01 sampai 12."),
        ("November 2026", "Bulan ditulis TTTT-BB, mis. 2026-11."),
        ("2026/11", "Bulan ditulis TTTT-BB, mis. 2026-11."),
    ],
)
def test_a_month_that_does_not_exist_is_refused(raw, message):
    with pytest.raises(ValidationFailed) as refused:
        parse_month(raw)
    assert refused.value.detail == message


@pytest.mark.parametrize(
    "day, bounds",
    [
        (date(2026, 2, 14), (date(2026, 2, 1), date(2026, 3, 1))),
        (date(2026, 1, 31), (date(2026, 1, 1), date(2026, 2, 1))),
        (date(2026, 12, 31), (date(2026, 12, 1), date(2027, 1, 1))),
    ],
)
def test_a_month_runs_from_its_first_day_to_the_next_months_first(day, bounds):
    assert _month_bounds(day) == bounds


def test_a_declared_sale_waiting_for_or_refused_by_an_officer_is_held():
    assert OfflineSale(review_status="open").held and OfflineSale(review_status="rejected").held
    assert not OfflineSale(review_status="accepted").held and not OfflineSale(review_status=None).held
