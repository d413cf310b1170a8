import io
import re
from datetime import timedelta

from app.catalog.models import Permit, Product
from app.core.timefmt import today_wib
from app.extensions import db
from tests.support.factories import jpeg, login

FORM = {
    "name": "Amplang Ikan Pipih",
    "category": "amplang",
    "description": "Renyah.",
    "ingredients": "Ikan, tapioka",
    "unit": "bungkus",
    "net_weight_g": "200",
    "shelf_life_days": "180",
    "price_idr": "25000",
    "stock": "40",
    "min_order_qty": "2",
    "status": "active",
    "price_tiers-0-min_qty": "10",
    "price_tiers-0-unit_price_idr": "23000",
    "price_tiers-1-min_qty": "50",
    "price_tiers-1-unit_price_idr": "21000",
    "permits-0-type": "pirt",
    "permits-0-number": "P-IRT No. 2066472010029-25",
    "permits-0-status": "submitted",
    "permits-0-expires_on": "2030-01-31",
    "permits-1-type": "halal",
    "permits-1-number": "ID64110000123450322",
    "permits-1-status": "in_process",
}


def _member_client(app, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    client = app.test_client()
    login(client, "ketua@uji.example")
    return client, group


def _edit_page(make, group) -> str:
    """The edit page of a product just listed: where its details, tiers and permits are given."""
    return f"/products/{make.product(group, name='Keripik Baru', category='keripik').id}/edit"


def test_member_adds_product_and_buyers_see_it(app, make):
    client, group = _member_client(app, make)
    listed = client.post(
        f"/groups/{group.slug}/products/new",
        data={
            "photos": (io.BytesIO(jpeg()), "foto.jpg"),
            **{k: FORM[k] for k in ("name", "category", "price_idr", "unit", "stock")},
        },
        content_type="multipart/form-data",
    )
    assert listed.status_code == 302
    product = db.session.scalars(db.select(Product)).one()
    assert client.post(f"/products/{product.id}/edit", data=FORM).status_code == 302
    db.session.expire_all()
    assert [(t.min_qty, t.unit_price_idr) for t in product.tiers] == [(10, 23000), (50, 21000)]
    assert sorted((p.type, p.number, p.status) for p in product.permits) == [
        ("halal", "ID64110000123450322", "in_process"),
        ("pirt", "206647201002925", "submitted"),
    ]
    page = app.test_client().get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    for text in (
        "Amplang Ikan Pipih",
        "Rp25.000",
        "Rp23.000",
        "≥ 50",
        "Berat bersih 200 g",
        "Pembelian minimum: 2",
        "206647201002925",
        "Diajukan, menunggu verifikasi",
        "Dalam proses",
        "Ikan, tapioka",
        "Kota Samarinda",
        "Stok: 40",
    ):
        assert text in page, text


def test_permit_numbers_are_checked_and_the_form_keeps_input(app, make):
    client, group = _member_client(app, make)
    bad = dict(
        FORM,
        **{
            "permits-0-type": "bpom_md",
            "permits-0-number": "MD 12345678901",
            "permits-1-type": "halal",
            "permits-1-number": "ID12",
        },
    )
    response = client.post(_edit_page(make, group), data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "MD dan 12 angka" in html and "ID dan angka" in html
    assert 'value="MD 12345678901"' in html and 'value="Amplang Ikan Pipih"' in html and 'value="23000"' in html
    assert db.session.scalars(db.select(Product.name)).all() == ["Keripik Baru"]  # nothing of it saved
    assert db.session.scalar(db.select(db.func.count(Permit.id))) == 0


def test_soap_is_a_cosmetic_and_needs_a_notification_number(app, make):
    client, group = _member_client(app, make)
    soap = dict(
        FORM,
        name="Sabun Madu Propolis",
        category="sabun",
        **{
            "permits-0-type": "bpom_md",
            "permits-0-number": "MD 224211001234",
            "permits-1-type": "",
            "permits-1-number": "",
        },
    )
    edit = _edit_page(make, group)
    html = client.post(edit, data=soap).get_data(as_text=True)
    assert "notifikasi kosmetik BPOM (NA…), bukan MD/ML" in html
    ok = dict(soap, **{"permits-0-type": "bpom_na", "permits-0-number": "na18201200123"})
    assert client.post(edit, data=ok).status_code == 302
    assert db.session.scalars(db.select(Permit)).one().number == "NA18201200123"


def test_each_permit_format(make):
    from app.catalog.permits import normalise

    assert normalise("bpom_md", "BPOM RI MD 224211001234") == "MD 224211001234"
    assert normalise("bpom_ml", "ML224211001234") == "ML 224211001234"
    assert normalise("bpom_md", "ML 224211001234") is None
    assert normalise("bpom_na", "NA18201200123") == "NA18201200123"
    assert normalise("bpom_na", "NA1820120012") is None
    assert normalise("pirt", "P-IRT No. 206647201002925") == "206647201002925"
    assert normalise("pirt", "20664720100292") is None
    assert normalise("halal", "ID31110000123450223") == "ID31110000123450223"
    assert normalise("halal", "31110000123450223") is None


def test_tier_prices_must_fall_as_quantity_grows(app, make):
    client, group = _member_client(app, make)
    edit = _edit_page(make, group)
    bad = dict(FORM, **{"price_tiers-1-unit_price_idr": "24000"})
    html = client.post(edit, data=bad).get_data(as_text=True)
    assert "Harga grosir harus lebih murah" in html
    bad = dict(FORM, **{"price_tiers-0-min_qty": "1"})
    assert client.post(edit, data=bad).status_code == 422


def test_editing_keeps_officer_decisions_and_archiving_hides(app, make):
    client, group = _member_client(app, make)
    product = make.product(group, permits=[{"type": "pirt", "number": "206647201002925", "expires_on": "2030-01-31"}])
    product.permits[0].status = "verified"
    db.session.commit()
    edit = client.get(f"/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="206647201002925"' in edit and "Terverifikasi" in edit
    form = dict(
        FORM,
        **{
            "permits-0-number": "206647201002925",
            "permits-1-type": "",
            "permits-1-number": "",
            "name": "Amplang Pipih Baru",
            "price_idr": "26000",
        },
    )
    assert client.post(f"/products/{product.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert product.name == "Amplang Pipih Baru" and product.price_idr == 26000
    assert [p.status for p in product.permits] == ["verified"]  # nothing of the permit changed: decision stands
    public = app.test_client()
    assert public.get(f"/p/{product.id}").status_code in (200, 301)
    assert client.post(f"/products/{product.id}/archive").status_code == 302
    assert public.get(f"/p/{product.id}/{product.slug}").status_code == 404
    assert "Amplang Pipih Baru" not in public.get("/search?q=amplang").get_data(as_text=True)


def test_expired_permit_shows_expired_without_a_job(client, make):
    group = make.group()
    product = make.product(
        group,
        permits=[
            {"type": "pirt", "number": "206647201002925", "expires_on": (today_wib() + timedelta(days=400)).isoformat()}
        ],
    )
    permit = product.permits[0]
    permit.status = "verified"
    permit.expires_on = today_wib() - timedelta(days=1)
    db.session.commit()
    html = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    assert "Kedaluwarsa" in html
    assert "Terverifikasi" not in html


def test_products_of_unverified_groups_and_drafts_are_not_public(client, make):
    pending = make.group(verified=False)
    verified = make.group()
    from app.catalog import browse as services
    from app.groups.services import verify_group

    draft = make.product(verified, name="Keripik Draf", status="draft")
    assert client.get(f"/p/{draft.id}").status_code == 404
    verify_group(make.admin(), pending.slug)
    hidden = make.product(pending, name="Keripik Tersembunyi")
    pending.status = "suspended"
    db.session.commit()
    assert client.get(f"/p/{hidden.id}").status_code == 404
    assert services.browse(services.Filters(q="keripik")).items == []


def test_prices_are_shown_as_rupiah():
    from app.core.money import format_rupiah

    assert format_rupiah(12500) == "Rp12.500"
    assert format_rupiah(1250000) == "Rp1.250.000"
    assert format_rupiah(500) == "Rp500"


def test_each_error_stands_under_its_own_field_with_a_summary(app, make):
    client, group = _member_client(app, make)
    edit = _edit_page(make, group)
    for bad, name in (({"permits-0-number": "12345"}, "permits-0-number"), ({"price_idr": "abc"}, "price_idr")):
        html = client.post(edit, data=dict(FORM, **bad)).get_data(as_text=True)
        # the summary comes first and links to the field
        start = html.index('id="form-errors"')
        assert f'href="#{name}"' in html[start : html.index("</div>", start)]
        # the message sits in the same block as its own input, not under the next column
        block = re.search(r'<div class="field">(?:(?!<div class="field">).)*?id="%s-error"' % name, html, re.S).group(0)
        assert f'id="{name}"' in block and 'aria-invalid="true"' in block
        assert 'value="Amplang Ikan Pipih"' in html  # nothing typed is lost
