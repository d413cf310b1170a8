"""Checks every form and API shares: phone numbers, e-mail addresses, whole numbers, dates, text;
passwords good enough; the devices a user is signed in on."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounts.lookup import normalise_email
from app.accounts.passwords import clean_password as _password
from app.accounts.sessions import describe_agent
from app.core import validate


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0812 3456 7890", "+6281234567890"),  # as people write a mobile number
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812345678901", "+62812345678901"),  # the country code without the plus
        ("(0541) 741234", "+62541741234"),  # a landline in Samarinda
        ("+44 20 7946 0958", "+442079460958"),  # a buyer abroad
    ],
)
def test_a_phone_number_is_stored_in_international_form(typed, stored):
    errors = {}
    assert validate.phone(typed, errors) == stored
    assert errors == {}


@pytest.mark.parametrize("typed", ["0812", "abc", "08123456789012345"])
def test_a_phone_number_that_cannot_be_dialled_is_refused_with_an_example(typed):
    errors = {}
    assert validate.phone(typed, errors, "whatsapp") is None
    assert errors == {"whatsapp": ["Nomor telepon tidak valid, mis. 0812 3456 7890."]}


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_phone_number_is_not_an_error_here(typed):
    errors = {}
    assert validate.phone(typed, errors) is None
    assert errors == {}


def test_an_email_address_is_stored_trimmed_and_in_lower_case():
    errors = {}
    assert validate.email("  Siti.Aminah@Contoh.CO.ID ", errors) == "siti.aminah@contoh.co.id"
    assert normalise_email("  Siti@Contoh.ID ") == "siti@contoh.id"
    assert errors == {}


@pytest.mark.parametrize("typed", ["siti@", "siti", "", None, "siti@@contoh.id"])
def test_a_broken_email_address_is_refused(typed):
    errors = {}
    assert validate.email(typed, errors) == ""
    assert errors == {"email": ["Alamat email tidak valid."]}


@pytest.mark.parametrize("typed, value", [("5", 5), (" 7 ", 7), (5, 5), (5.0, 5), ("99999", 99_999)])
def test_a_whole_number_within_bounds(typed, value):
    errors = {}
    assert validate.integer(typed, errors, "stock", low=1, high=99_999) == value
    assert errors == {}


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Wajib diisi."),
        (None, "Wajib diisi."),
        (5.5, "Harus bilangan bulat."),
        ("5.0", "Harus bilangan bulat."),
        ("lima", "Harus bilangan bulat."),
        (True, "Harus bilangan bulat."),  # a JSON true is not 1
        ("100000", "Harus antara 1 dan 99.999."),  # the bounds written the Indonesian way
        ("0", "Harus antara 1 dan 99.999."),
    ],
)
def test_a_number_that_is_missing_not_whole_or_out_of_bounds_is_refused(typed, message):
    errors = {}
    assert validate.integer(typed, errors, "stock", low=1, high=99_999) is None
    assert errors == {"stock": [message]}


def test_an_optional_number_may_be_left_empty():
    errors = {}
    assert validate.integer("", errors, "shelf_life_days", low=1, high=3650, required=False) is None
    assert errors == {}


def test_a_date_is_read_from_iso_text_and_refused_when_it_does_not_exist():
    errors = {}
    assert validate.date_value("2026-08-17", errors, "sold_on") == date(2026, 8, 17)
    assert validate.date_value("2026-02-30", errors, "sold_on") is None
    assert validate.date_value("17/08/2026", errors, "sold_on") is None
    assert errors == {"sold_on": ["Tanggal tidak valid (TTTT-BB-HH).", "Tanggal tidak valid (TTTT-BB-HH)."]}


def test_a_date_before_the_allowed_day_gets_the_callers_message():
    errors = {}
    assert (
        validate.date_value(
            "2026-02-03",
            errors,
            "starts_on",
            not_before=date(2026, 3, 1),
            too_early="Acara tidak bisa dimulai di masa lalu.",
        )
        is None
    )
    assert errors == {"starts_on": ["Acara tidak bisa dimulai di masa lalu."]}


def test_text_is_trimmed_and_its_length_checked():
    errors = {}
    assert validate.text("  Amplang  ", errors, "name", max_len=120, min_len=3) == "Amplang"
    assert validate.text(" ab ", errors, "name", max_len=120, min_len=3) is None
    assert validate.text("   ", errors, "note", max_len=500, required=False) is None
    assert validate.text(5, errors, "unit", max_len=30) is None
    assert errors == {"name": ["Panjang 3 sampai 120 karakter."], "unit": ["Harus berupa teks."]}


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password, email, message",
    [
        ("pendek", "siti@contoh.id", "Kata sandi minimal 8 karakter."),
        ("x" * 201, "siti@contoh.id", "Kata sandi terlalu panjang."),
        ("password", "siti@contoh.id", "Kata sandi ini termasuk 10.000 kata sandi yang paling sering dipakai"),
        ("Bismillah", "siti@contoh.id", "Kata sandi ini termasuk 10.000 kata sandi yang paling sering dipakai"),
        ("sitiaminah", "sitiaminah@contoh.id", "Kata sandi ini terlalu mudah ditebak (sama dengan email"),
        (
            "aaaabbbbbb",
            "siti@contoh.id",
            "Kata sandi ini terlalu mudah ditebak (sama dengan email atau terlalu berulang)",
        ),
    ],
)
def test_a_password_that_is_easy_to_guess_is_refused_with_the_reason(password, email, message):
    errors = {}
    _password(password, errors, email=email)
    [said] = errors["password"]
    assert said.startswith(message)


def test_three_unrelated_words_make_a_good_password():
    errors = {}
    assert _password("kopi susu gula aren", errors, email="siti@contoh.id") == "kopi susu gula aren"
    assert errors == {}


# ---------------------------------------------------------------- signed-in devices


@pytest.mark.parametrize(
    "agent, shown",
    [
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
            "Mobile Safari/537.36",
            "Chrome · Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
            "Safari/537.36 Edg/120.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
            "Chrome/115.0.0.0 Mobile Safari/537.36",
            "Samsung Internet · Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Mobile/15E148 Safari/604.1",
            "Safari · iPhone",
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox · macOS"),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
            "Safari/537.36",
            "Chrome · ChromeOS",
        ),
        ("curl/8.4.0", "curl/8.4.0"),  # nothing known: the header itself
        (None, None),
    ],
    ids=[
        "chrome-android",
        "edge-windows",
        "samsung-android",
        "safari-iphone",
        "firefox-mac",
        "chrome-chromeos",
        "unknown",
        "none",
    ],
)
def test_a_signed_in_device_is_named_by_browser_and_system(agent, shown):
    assert describe_agent(agent) == shown


@pytest.mark.parametrize(
    "agent, shown",
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
            "Chrome · iPhone",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "FxiOS/121.0 Mobile/15E148 Safari/605.1.15",
            "Firefox · iPhone",
        ),
    ],
    ids=["chrome-iphone", "firefox-iphone"],
)
def test_chrome_or_firefox_on_an_iphone_is_named_as_such_in_the_device_list(agent, shown):
    assert describe_agent(agent) == shown
