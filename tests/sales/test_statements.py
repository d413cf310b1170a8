"""Sales statements a lender can verify: issued by the chair for 3, 6 or 12 months, as a PDF
with a code and QR code, and a public page showing the same figures and whether they still stand."""

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db
from app.orders.models import Order
from app.sales.models import OfflineSale, SalesStatement
from app.sales.statements import _add_months
from tests.support import ARTIFACTS
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token


def _last_month_sales(client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 4)]))
    from app.orders.models import Checkout
    from app.orders.status import mark_paid

    mark_paid(db.session.scalars(db.select(Checkout)).one())
    last_month = _add_months(today_wib().replace(day=1), -1)
    for order in db.session.scalars(db.select(Order)):  # as if bought last month
        order.created_at = datetime(last_month.year, last_month.month, 10, tzinfo=UTC)
    db.session.add(
        OfflineSale(
            group_id=samarinda.id,
            sold_on=last_month.replace(day=12),
            place="Pasar Segiri",
            total_idr=150000,
            reduce_stock=False,
        )
    )
    db.session.commit()
    return samarinda, last_month


def test_a_statement_as_pdf_and_as_a_page_a_lender_checks(app, client, make, tmp_path):
    group, last_month = _last_month_sales(client, make)
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    assert (
        chair.post(f"/groups/{group.slug}/statements", data={"months": "5"}, follow_redirects=True).status_code == 200
    )
    assert db.session.scalar(db.select(db.func.count(SalesStatement.id))) == 0  # 3, 6 or 12 only
    chair.post(f"/groups/{group.slug}/statements", data={"months": "3"})
    row = db.session.scalars(db.select(SalesStatement)).one()
    assert (row.snapshot["platform_idr"], row.snapshot["offline_idr"], row.snapshot["buyers"]) == (100000, 150000, 1)
    # the PDF
    pdf = chair.get(f"/groups/{group.slug}/statements/{row.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils are needed (the README's test command installs them)")
    path = tmp_path / "rekap.pdf"
    path.write_bytes(pdf.data)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for value in (
        "REKAP PENJUALAN",
        group.name,
        row.code,
        "Rp100.000",
        "Rp150.000",
        "dicatat sendiri oleh kelompok",
        f"/s/{row.code}",
        row.snapshot_hash,
    ):
        assert value in text, value
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / "statement")], check=True
    )
    # the page anyone with the code opens shows the same figures, and that they stand
    lender = app.test_client()
    page = lender.get(f"/s/{row.code}").get_data(as_text=True)
    assert "Asli dan berlaku" in page and "Rp100.000" in page and "Rp150.000" in page and group.name in page
    assert lender.get(f"/s/{row.code.lower()}").status_code == 200  # typed from paper
    assert lender.get("/s/TIDAKADA99").status_code == 404
    # the figures cannot be changed behind the lender's back
    row.snapshot = dict(row.snapshot, platform_idr=999999999)
    db.session.commit()
    assert "tidak cocok" in lender.get(f"/s/{row.code}").get_data(as_text=True)
    # expiry and revocation
    chair.post(f"/groups/{group.slug}/statements", data={"months": "6"})
    fresh = db.session.scalars(db.select(SalesStatement).order_by(SalesStatement.id.desc())).first()
    fresh.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "Kedaluwarsa sejak" in lender.get(f"/s/{fresh.code}").get_data(as_text=True)
    chair.post(f"/groups/{group.slug}/statements", data={"months": "12"})
    third = db.session.scalars(db.select(SalesStatement).order_by(SalesStatement.id.desc())).first()
    chair.post(f"/groups/{group.slug}/statements/{third.code}/revoke")
    assert "Dicabut oleh kelompok" in lender.get(f"/s/{third.code}").get_data(as_text=True)


def test_only_the_chair_issues_and_officers_count_them(app, client, make):
    group, _m = _last_month_sales(client, make)
    member = make.user("anggota.smd@uji.example")
    from app.groups.services import add_member

    add_member(make.chair_of(group), group.slug, member.email)
    page = app.test_client()
    login(page, member.email)
    assert page.post(f"/groups/{group.slug}/statements", data={"months": "3"}).status_code == 403
    assert page.get(f"/groups/{group.slug}/statements").status_code == 200  # members may look
    outsider = app.test_client()
    login(outsider, "ketua.bkl@uji.example")
    assert outsider.get(f"/groups/{group.slug}/statements").status_code == 404
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    chair.post(f"/groups/{group.slug}/statements", data={"months": "3"})
    officer = make.user("petugas@uji.example", role="officer", province="64")
    stats = client.get("/api/v1/stats", headers=token(client, officer.email)).json
    assert stats["groups_with_statement"] == 1


def test_the_statement_through_the_api(client, make):
    group, _m = _last_month_sales(client, make)
    chair = token(client, "ketua.smd@uji.example")
    assert client.post(f"/api/v1/groups/{group.slug}/statements", headers=chair, json={"months": 5}).status_code == 422
    made = client.post(f"/api/v1/groups/{group.slug}/statements", headers=chair, json={"months": 3})
    assert made.status_code == 201 and made.json["state"] == "valid"
    checked = client.get(f"/api/v1/statements/{made.json['code']}")  # no token: a lender's system
    assert checked.status_code == 200
    assert checked.json["snapshot"]["platform_idr"] == 100000 and checked.json["snapshot"]["offline_idr"] == 150000
    assert checked.json["snapshot_sha256"] == made.json["snapshot_sha256"]
    assert client.get("/api/v1/statements/NOPE").status_code == 404


def test_the_chair_sees_which_months_a_statement_covers_and_this_months_sales_so_far(app, client, make):
    """A statement covers complete months and says which; this month's paid orders are not lost from sight."""
    from app.core.timefmt import month_name
    from app.orders.models import Checkout
    from app.orders.status import mark_paid

    samarinda, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 4)]))
    mark_paid(db.session.scalars(db.select(Checkout)).one())  # paid today: this month, not over yet
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    page = chair.get(f"/groups/{samarinda.slug}/statements").get_data(as_text=True)
    this_month = today_wib().replace(day=1)
    with app.test_request_context():
        last = month_name(_add_months(this_month, -1))
        first_of_six = month_name(_add_months(this_month, -6))
        current = month_name(this_month)
    assert f"6 bulan penuh: {first_of_six} – {last}" in page
    assert current in page and "Rp100.000" in page and "1 pesanan" in page  # this month so far, in words


def test_the_lenders_page_names_the_months(app, client, make):
    group, last_month = _last_month_sales(client, make)
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    chair.post(f"/groups/{group.slug}/statements", data={"months": "3"})
    row = db.session.scalars(db.select(SalesStatement)).one()
    page = client.get(f"/s/{row.code}").get_data(as_text=True)
    assert f">{last_month:%Y-%m}<" not in page  # not "2026-10" but the month's name
    from app.core.timefmt import month_name

    with app.test_request_context():
        assert f">{month_name(last_month)}<" in page
    english = client.get(f"/s/{row.code}?lang=en").get_data(as_text=True)
    assert f">{last_month:%B %Y}<" in english
