"""Times stored in UTC, shown in the place's own zone; dates and months in the page's language; every
status code a person reads shown as words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from app.core import timefmt
from app.core.labels import label
from app.events.models import Event
from app.events.pickup import end_of
from app.events.public import when

# 17:30 UTC on 16 August is already Independence Day everywhere in Indonesia
EVE = datetime(2026, 8, 16, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "province, shown",
    [
        (None, "17 Agu 2026 00:30 WIB"),
        ("31", "17 Agu 2026 00:30 WIB"),  # Jakarta
        ("64", "17 Agu 2026 01:30 WITA"),  # Samarinda
        ("91", "17 Agu 2026 02:30 WIT"),  # Jayapura
    ],
)
def test_a_time_is_shown_in_the_zone_of_the_place(in_babel, province, shown):
    assert timefmt.local(EVE, province) == shown


def test_new_years_eve_in_utc_is_already_new_year_in_wib(in_babel):
    assert timefmt.local(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == "1 Jan 2027 00:00 WIB"
    assert timefmt.local(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == "31 Des 2026 23:59 WIB"


def test_no_time_shows_nothing(in_babel):
    assert timefmt.local(None) == "" and timefmt.long_date(None) == "" and timefmt.month_name(None) == ""


@pytest.mark.parametrize(
    "day, indonesian, english",
    [
        (date(2026, 8, 17), "17 Agustus 2026", "August 17, 2026"),
        (date(2026, 1, 5), "5 Januari 2026", "January 5, 2026"),
    ],
)
def test_a_date_is_written_as_people_write_it_in_each_language(in_babel, day, indonesian, english):
    assert timefmt.long_date(day) == indonesian
    with force_locale("en"):
        assert timefmt.long_date(day) == english


@pytest.mark.parametrize(
    "month, indonesian, english",
    [
        (date(2026, 2, 1), "Februari 2026", "February 2026"),
        (date(2026, 8, 31), "Agustus 2026", "August 2026"),
        (date(2026, 12, 1), "Desember 2026", "December 2026"),
    ],
)
def test_a_months_name_on_statements_and_the_sales_book(in_babel, month, indonesian, english):
    assert timefmt.month_name(month) == indonesian
    with force_locale("en"):
        assert timefmt.month_name(month) == english


def test_an_events_dates_are_one_day_or_a_range(in_babel):
    assert when(Event(starts_on=date(2026, 8, 17), ends_on=date(2026, 8, 17))) == "17 Agustus 2026"
    assert when(Event(starts_on=date(2026, 8, 15), ends_on=date(2026, 8, 17))) == "15 Agustus 2026 – 17 Agustus 2026"


def test_a_reservation_for_an_events_last_day_runs_out_at_midnight_where_the_event_is():
    assert end_of(date(2026, 8, 17), "64") == datetime(2026, 8, 17, 16, 0, tzinfo=UTC)  # WITA
    assert end_of(date(2026, 8, 17), "32") == datetime(2026, 8, 17, 17, 0, tzinfo=UTC)  # WIB
    assert end_of(date(2026, 8, 17), "94") == datetime(2026, 8, 17, 15, 0, tzinfo=UTC)  # WIT


@pytest.mark.parametrize(
    "kind, code, indonesian, english",
    [
        ("order", "pending_payment", "Menunggu pembayaran", "Awaiting payment"),
        ("order", "shipped", "Dikirim", "Shipped"),
        ("invoice", "paid", "Lunas", "Paid"),
        ("payment_method", "va_mandiri", "Mandiri Bill Payment", "Mandiri Bill Payment"),
        ("permit", "in_process", "Dalam proses", "In process"),
    ],
)
def test_a_status_code_is_shown_as_words_in_the_pages_language(in_babel, kind, code, indonesian, english):
    assert label(kind, code) == indonesian
    with force_locale("en"):
        assert label(kind, code) == english


def test_an_unknown_code_shows_as_itself_and_none_as_nothing(in_babel):
    assert label("order", "on_hold") == "on_hold"
    assert label("order", None) == ""
