"""The offline sales book: members record sales made outside the platform,
may take them off the stock, correct them with a reason (the old entry stays), and see the month's
platform and offline sales side by side."""

from datetime import timedelta

from app.core.timefmt import today_wib
from app.extensions import db
from app.sales.models import OfflineSale
from tests.support.buying import checkout_body, stock_of
from tests.support.factories import login, token


def _entry(product_id, **extra):
    return {
        "sold_on": today_wib().isoformat(),
        "place": "Pasar Segiri",
        "reduce_stock": True,
        "lines": [
            {"product_id": product_id, "quantity": 10, "amount_idr": 250000},
            {"name": "Amplang curah", "quantity": 2, "amount_idr": 60000},
        ],
        **extra,
    }


def test_a_member_records_and_corrects_offline_sales(app, client, make):
    group = make.group(name="UPPKS Mawar")
    amplang = make.product(group, name="Amplang Pipih", stock=50)
    chair = token(client, make.chair_of(group).email)
    made = client.post(f"/api/v1/groups/{group.slug}/offline-sales", headers=chair, json=_entry(amplang.id))
    assert made.status_code == 201, made.json
    assert made.json["total_idr"] == 310000 and stock_of(amplang) == 40
    too_many = client.post(
        f"/api/v1/groups/{group.slug}/offline-sales",
        headers=chair,
        json=_entry(amplang.id, lines=[{"product_id": amplang.id, "quantity": 41, "amount_idr": 1}]),
    )
    assert too_many.status_code == 409 and "tinggal 40" in too_many.json["detail"]
    assert stock_of(amplang) == 40  # nothing half-written
    future = client.post(
        f"/api/v1/groups/{group.slug}/offline-sales",
        headers=chair,
        json=_entry(amplang.id, sold_on=(today_wib() + timedelta(days=2)).isoformat()),
    )
    assert future.status_code == 422 and "sold_on" in future.json["errors"]
    # a buyer pays for 2 on the platform: the month shows both, side by side
    make.user("pembeli@uji.example")
    client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(amplang.id, 2)])
    )
    from app.orders.models import Checkout
    from app.orders.status import mark_paid

    mark_paid(db.session.scalars(db.select(Checkout)).one())
    month = client.get(f"/api/v1/groups/{group.slug}/offline-sales", headers=chair).json
    assert (month["offline_idr"], month["platform_idr"], month["platform_orders"]) == (310000, 50000, 1)
    # corrected through the page, with a reason: the old entry stays, marked, and its stock comes back
    page = app.test_client()
    login(page, make.chair_of(group).email)
    sale_id = made.json["id"]
    form = page.get(f"/sales/{sale_id}/correct").get_data(as_text=True)
    assert 'value="Pasar Segiri"' in form
    no_reason = page.post(
        f"/sales/{sale_id}/correct",
        data={
            "sold_on": today_wib().isoformat(),
            "place": "Pasar Segiri",
            "reduce_stock": "y",
            "lines-0-product_id": str(amplang.id),
            "lines-0-quantity": "8",
            "lines-0-amount_idr": "200000",
        },
    )
    assert no_reason.status_code == 422
    fixed = page.post(
        f"/sales/{sale_id}/correct",
        data={
            "sold_on": today_wib().isoformat(),
            "place": "Pasar Segiri",
            "reduce_stock": "y",
            "reason": "salah hitung",
            "lines-0-product_id": str(amplang.id),
            "lines-0-quantity": "8",
            "lines-0-amount_idr": "200000",
        },
    )
    assert fixed.status_code == 302
    assert stock_of(amplang) == 40  # 48 after the platform sale + 10 back - 8
    rows = db.session.scalars(db.select(OfflineSale).order_by(OfflineSale.id)).all()
    assert [(r.total_idr, r.is_current) for r in rows] == [(310000, False), (200000, True)]
    assert rows[0].correction_reason == "salah hitung" and rows[0].replaced_by_id == rows[1].id
    book = page.get(f"/groups/{group.slug}/sales").get_data(as_text=True)
    assert "dikoreksi" in book and "salah hitung" in book and "Rp200.000" in book and "Rp50.000" in book
    assert page.get(f"/sales/{sale_id}/correct").status_code == 200
    assert (
        page.post(
            f"/sales/{sale_id}/correct",
            data={
                "reason": "lagi",
                "sold_on": today_wib().isoformat(),
                "place": "x",
                "lines-0-name": "x",
                "lines-0-quantity": "1",
                "lines-0-amount_idr": "1",
            },
        ).status_code
        == 409
    )


def test_the_sales_book_is_the_groups_own(app, client, make):
    group = make.group()
    other = make.group(make.user("ketua.lain@uji.example"))
    product = make.product(group)
    sale = client.post(
        f"/api/v1/groups/{group.slug}/offline-sales",
        headers=token(client, make.chair_of(group).email),
        json=_entry(product.id, reduce_stock=False),
    ).json
    outsider = token(client, "ketua.lain@uji.example")
    assert client.get(f"/api/v1/groups/{group.slug}/offline-sales", headers=outsider).status_code == 404
    assert (
        client.post(f"/api/v1/groups/{group.slug}/offline-sales", headers=outsider, json=_entry(product.id)).status_code
        == 404
    )
    page = app.test_client()
    login(page, "ketua.lain@uji.example")
    assert page.get(f"/sales/{sale['id']}/correct").status_code == 404
    # another group's product cannot be written into this book
    theirs = make.product(other, name="Produk Lain")
    wrong = client.post(
        f"/api/v1/groups/{group.slug}/offline-sales",
        headers=token(client, make.chair_of(group).email),
        json=_entry(theirs.id),
    )
    assert wrong.status_code == 422 and "lines.0.product_id" in wrong.json["errors"]
    assert (
        client.get(
            f"/api/v1/groups/{group.slug}/offline-sales?month=2026-13",
            headers=token(client, make.chair_of(group).email),
        ).status_code
        == 422
    )


def test_officers_see_declared_offline_sales_apart(app, client, make):
    group = make.group(regency="64.72")
    product = make.product(group)
    client.post(
        f"/api/v1/groups/{group.slug}/offline-sales",
        headers=token(client, make.chair_of(group).email),
        json=_entry(product.id, reduce_stock=False),
    )
    officer = make.user("petugas@uji.example", role="officer", province="64")
    stats = client.get("/api/v1/stats", headers=token(client, officer.email)).json
    assert stats["offline_sales_idr"] == 310000 and stats["sales_idr"] == 0  # declared, not platform sales
    assert next(r for r in stats["by_regency"] if r["code"] == "64.72")["offline_sales_idr"] == 310000
    page = app.test_client()
    login(page, officer.email)
    assert "Rp310.000" in page.get("/officer").get_data(as_text=True)


def test_a_market_sale_takes_the_products_off_the_online_stock_unless_the_group_unticks_it(app, client, make):
    group = make.group(name="UPPKS Melati")
    amplang = make.product(group, name="Amplang Pipih", stock=50)
    page = app.test_client()
    login(page, make.chair_of(group).email)
    form = page.get(f"/groups/{group.slug}/sales").get_data(as_text=True)
    box = form[form.index('name="reduce_stock"') - 120 : form.index('name="reduce_stock"') + 60]
    assert "checked" in box  # ticked before anyone touches it
    sold = {
        "sold_on": today_wib().isoformat(),
        "place": "Pasar Segiri",
        "reduce_stock": "y",  # what the browser sends for the ticked box
        "lines-0-product_id": str(amplang.id),
        "lines-0-quantity": "10",
        "lines-0-amount_idr": "250000",
    }
    assert page.post(f"/groups/{group.slug}/sales", data=sold).status_code == 302
    assert stock_of(amplang) == 40
    sold.pop("reduce_stock")  # the group unticks it: the online stock stays
    assert page.post(f"/groups/{group.slug}/sales", data=sold).status_code == 302
    assert stock_of(amplang) == 40
    # the API: left out, the stock drops; false leaves it
    chair = token(client, make.chair_of(group).email)
    entry = _entry(amplang.id)
    entry.pop("reduce_stock")
    assert client.post(f"/api/v1/groups/{group.slug}/offline-sales", headers=chair, json=entry).status_code == 201
    assert stock_of(amplang) == 30
    kept = client.post(
        f"/api/v1/groups/{group.slug}/offline-sales", headers=chair, json=_entry(amplang.id, reduce_stock=False)
    )
    assert kept.status_code == 201 and kept.json["reduce_stock"] is False and stock_of(amplang) == 30
