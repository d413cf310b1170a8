"""An officer's area (national, a province, a kabupaten/kota) and who may take part in an event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import User
from app.accounts.scope import Area, area_for, scope_of
from app.core.errors import Forbidden, ValidationFailed
from app.core.timefmt import today_wib
from app.events.models import Event
from app.events.publishing import MAX_DAYS, _clean
from app.events.taking_part import may_join
from app.groups.models import Group
from app.officers.export import export_rows

SAMARINDA, BALIKPAPAN, SURABAYA = "64.72", "64.71", "35.78"


def officer(province=None, regency=None):
    return User(email="petugas@contoh.id", role="officer", scope_province=province, scope_regency=regency)


def test_a_kota_officer_covers_that_kota_only():
    area = Area("64", SAMARINDA)
    assert area.covers("64", SAMARINDA)
    assert not area.covers("64", BALIKPAPAN)
    assert area.name == "Kota Samarinda"


def test_a_province_officer_covers_every_kabupaten_and_kota_in_it():
    area = Area("64")
    assert area.covers("64", SAMARINDA) and area.covers("64", BALIKPAPAN)
    assert not area.covers("35", SURABAYA)
    assert area.name == "Kalimantan Timur"


def test_the_national_area_covers_everything():
    assert Area().covers("35", SURABAYA) and Area().name == "Indonesia"


def test_an_admin_sees_the_whole_country_and_an_officer_their_scope():
    assert scope_of(User(role="admin")) == Area()
    assert scope_of(officer("64", SAMARINDA)) == Area("64", SAMARINDA)


def test_a_plain_user_is_no_officer():
    with pytest.raises(Forbidden):
        scope_of(User(role="user"))


def test_a_province_officer_may_look_at_one_kota_of_the_province():
    assert area_for(officer("64"), regency=BALIKPAPAN) == Area("64", BALIKPAPAN)


@pytest.mark.parametrize(
    "province, regency",
    [
        (None, SURABAYA),  # another province's kota
        ("64", None),  # the whole province, from a kota officer
        (None, BALIKPAPAN),  # the neighbouring kota
    ],
)
def test_a_kota_officer_cannot_look_beyond_their_kota(province, regency):
    with pytest.raises(Forbidden) as refused:
        area_for(officer("64", SAMARINDA), province=province, regency=regency)
    assert refused.value.detail == "Wilayah ini di luar cakupan Anda."


def test_an_area_that_does_not_add_up_is_refused_before_scope_is_checked():
    with pytest.raises(ValidationFailed) as refused:
        area_for(User(role="admin"), province="35", regency=SAMARINDA)
    assert refused.value.errors == {"regency": ["Kabupaten/kota ini tidak berada di provinsi tersebut."]}
    with pytest.raises(ValidationFailed):
        area_for(User(role="admin"), province="99")


# ---------------------------------------------------------------- events

BAZAR = dict(province_code="64", regency_code=SAMARINDA)


@pytest.mark.parametrize(
    "open_to, group_regency, group_province, allowed",
    [
        ("semua", SURABAYA, "35", True),
        ("provinsi", BALIKPAPAN, "64", True),
        ("provinsi", SURABAYA, "35", False),
        ("kabupaten", SAMARINDA, "64", True),
        ("kabupaten", BALIKPAPAN, "64", False),  # same province, another kota
    ],
)
def test_who_may_apply_for_a_stand_depends_on_whom_the_event_is_open_to(
    open_to, group_regency, group_province, allowed
):
    event = Event(open_to=open_to, **BAZAR)
    assert may_join(event, Group(regency_code=group_regency, province_code=group_province)) is allowed


def _event_form(starts_in=10, lasts=3, **changes):
    """An event starting `starts_in` days from today and lasting `lasts` days, as an officer fills the form."""
    start = today_wib() + timedelta(days=starts_in)
    form = {
        "name": "Bazar UPPKS Samarinda",
        "kind": "bazar",
        "regency": SAMARINDA,
        "address": "GOR Segiri",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=lasts - 1)).isoformat(),
    }
    form.update(changes)
    return form


def test_an_officer_publishes_an_event_in_a_kota_which_fixes_its_province():
    clean = _clean(_event_form())
    assert (clean["province_code"], clean["regency_code"], clean["open_to"]) == ("64", SAMARINDA, "semua")


@pytest.mark.parametrize(
    "form, field, message",
    [
        (dict(starts_in=-1), "starts_on", "Acara tidak bisa dimulai di masa lalu."),
        (dict(lasts=0), "ends_on", "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        (dict(lasts=MAX_DAYS + 1), "ends_on", "Acara paling lama 31 hari."),
        (dict(starts_in=731, lasts=1), "starts_on", "Terbitkan acara paling lambat dua tahun sebelumnya."),
        (dict(kind="konser"), "kind", "Pilih bazar, pameran atau festival."),
        (dict(regency="64"), "regency", "Pilih kabupaten/kota."),  # a province is not a place for a stand
    ],
    ids=["starts-yesterday", "ends-before-it-starts", "32-days", "over-two-years-ahead", "unknown-kind", "no-kota"],
)
def test_an_event_with_impossible_dates_or_place_is_refused(form, field, message):
    with pytest.raises(ValidationFailed) as refused:
        _clean(_event_form(**form))
    assert refused.value.errors == {field: [message]}


def test_an_event_may_last_thirty_one_days_and_be_published_two_years_ahead():
    clean = _clean(_event_form(lasts=MAX_DAYS))
    assert (clean["ends_on"] - clean["starts_on"]).days + 1 == 31
    assert _clean(_event_form(starts_in=730, lasts=1))["starts_on"] == today_wib() + timedelta(days=730)


def test_an_officers_spreadsheet_has_a_row_per_kota_and_the_total_last():
    money = (
        "orders",
        "sales_idr",
        "sales_seen_idr",
        "sales_group_received_idr",
        "sales_invoiced_idr",
        "offline_sales_idr",
        "held_sales_idr",
        "held_offline_sales_idr",
        "money_reached_idr",
    )
    counts = dict(
        groups=3,
        verified_groups=2,
        members=41,
        products=12,
        products_with_permit=9,
        **{k: i + 1 for i, k in enumerate(money)},
    )
    data = dict(counts, by_regency=[dict(counts, code=SAMARINDA, name="Kota Samarinda")])
    head, kota, total = export_rows(data)
    assert len(head) == len(kota) == len(total) == 16
    assert kota[:3] == [SAMARINDA, "Kota Samarinda", 3] and total[:3] == ["", "JUMLAH", 3]
    assert head[8] == "penjualan (Rp)" and kota[8] == total[8] == 2
