"""Business buyers: invoices on terms (due dates, who may use terms), quotes and offers, NPWP numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from app.core.errors import Forbidden
from app.orders.models import Order
from app.wholesale import invoices
from app.wholesale.invoices import can_use_terms, check_terms
from app.wholesale.models import Invoice, Offer, Organisation, QuoteRequest
from app.wholesale.organisations import _clean_org


def hotel(status="verified", terms=30):
    return Organisation(id=3, name="Hotel Mesra", type="hotel", status=status, payment_terms_days=terms)


@pytest.fixture
def issued(monkeypatch):
    """invoices.issue with its day and its number given, and what it adds kept in a list (no database)."""
    added = []
    monkeypatch.setattr(invoices, "next_number", lambda year: 17)
    monkeypatch.setattr(invoices, "db", SimpleNamespace(session=SimpleNamespace(add=added.append)))

    def issue(on: date, org: Organisation, total_idr: int = 1_250_000) -> Invoice:
        monkeypatch.setattr(invoices, "today", lambda: on)
        invoice = invoices.issue(Order(id=42, total_idr=total_idr), org)
        assert added[-1] is invoice
        return invoice

    return issue


@pytest.mark.parametrize(
    "terms, issued_on, due_on",
    [
        (14, date(2026, 8, 1), date(2026, 8, 15)),
        (30, date(2026, 8, 1), date(2026, 8, 31)),
        (30, date(2026, 2, 10), date(2026, 3, 12)),  # February's 28 days
        (14, date(2026, 12, 20), date(2027, 1, 3)),  # into the next year
    ],
)
def test_an_invoice_on_terms_is_due_that_many_days_after_it_was_issued(issued, terms, issued_on, due_on):
    invoice = issued(issued_on, hotel(terms=terms))
    assert (invoice.issued_on, invoice.due_on) == (issued_on, due_on)


def test_an_invoice_is_for_the_orders_total_and_numbered_in_its_year(issued):
    invoice = issued(date(2026, 8, 1), hotel(), total_idr=1_250_000)
    assert (invoice.amount_idr, invoice.order_id, invoice.organisation_id) == (1_250_000, 42, 3)
    assert invoice.number == "INV/2026/000017"


@pytest.mark.parametrize(
    "org, message",
    [
        (None, "Bayar dengan invoice hanya untuk pembeli bisnis yang terverifikasi."),
        (hotel(status="pending"), "Bayar dengan invoice hanya untuk pembeli bisnis yang terverifikasi."),
        (hotel(status="rejected"), "Bayar dengan invoice hanya untuk pembeli bisnis yang terverifikasi."),
        (hotel(terms=0), "Organisasi Anda belum mendapat tempo pembayaran."),
    ],
)
def test_only_a_verified_business_with_terms_may_pay_by_invoice(org, message):
    with pytest.raises(Forbidden) as refused:
        check_terms(org)
    assert refused.value.detail == message
    assert can_use_terms(org) is False


def test_a_business_with_an_overdue_invoice_must_pay_it_before_using_terms_again(monkeypatch):
    monkeypatch.setattr(invoices, "overdue_count", lambda org: 1)
    with pytest.raises(Forbidden) as refused:
        check_terms(hotel())
    assert "lewat jatuh tempo" in refused.value.detail
    monkeypatch.setattr(invoices, "overdue_count", lambda org: 0)
    assert can_use_terms(hotel()) is True


def test_an_offers_total_is_its_goods_and_the_delivery_it_was_priced_with():
    offer = Offer(unit_price_idr=21_000, quantity=300, shipping_idr=150_000)
    assert (offer.goods_idr, offer.total_idr) == (6_300_000, 6_450_000)


def test_a_quote_request_shows_how_much_the_accepted_offers_still_leave_uncovered():
    quote = QuoteRequest(
        quantity=500,
        offers=[
            Offer(quantity=300, status="accepted"),
            Offer(quantity=400, status="declined"),
            Offer(quantity=150, status="accepted"),
        ],
    )
    assert (quote.accepted_quantity, quote.uncovered_quantity) == (450, 50)
    quote.offers.append(Offer(quantity=100, status="accepted"))
    assert (quote.accepted_quantity, quote.uncovered_quantity) == (550, 0)  # never below nothing


def test_a_quote_request_and_its_purchase_order_are_numbered_by_month():
    quote = QuoteRequest(id=42, created_at=datetime(2026, 8, 17, tzinfo=UTC))
    assert (quote.number, quote.purchase_number) == ("RFQ2608-00042", "PO2608-00042")


ORG = {"name": "Hotel Mesra", "type": "hotel", "regency": "64.72", "province": "64", "address": "Jl. Pahlawan 1"}


@pytest.mark.parametrize(
    "npwp, stored",
    [
        ("01.234.567.8-901.000", "012345678901000"),  # the 15-digit form as printed
        ("012345678901000", "012345678901000"),
        ("6472 0123 4567 8901", "6472012345678901"),  # the 16-digit form (NIK-based, since 2024)
    ],
)
def test_a_businesss_npwp_is_kept_as_digits(npwp, stored):
    errors = {}
    out = _clean_org(dict(ORG, npwp=npwp), errors)
    assert errors == {}
    assert (out["npwp"], out["regency_code"], out["province_code"]) == (stored, "64.72", "64")


@pytest.mark.parametrize("npwp", ["01.234.567.8-901.00", "01234567890100012", "01.234.567.8-901.ABC"])
def test_an_npwp_of_the_wrong_length_is_refused(npwp):
    errors = {}
    _clean_org(dict(ORG, npwp=npwp), errors)
    assert errors == {"npwp": ["NPWP 15 angka (99.999.999.9-999.999) atau 16 angka."]}


def test_a_business_must_say_what_kind_it_is_and_where_it_is():
    errors = {}
    _clean_org(dict(ORG, type="warung_kopi", regency="64.72", province="35"), errors)
    assert errors == {
        "type": ["Pilih jenis usaha dari daftar."],
        "province": ["Kabupaten/kota ini tidak berada di provinsi tersebut."],
    }
