import csv
import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.accounts.models import Decision
from app.catalog.models import Permit, Photo, Product
from app.core.mail import outbox
from app.core.timefmt import today_wib
from app.extensions import db
from app.groups.models import Group
from app.orders.models import Order
from app.wholesale.models import Organisation
from tests.support.factories import document, login, token


@pytest.fixture
def region(app, make):
    """Kalimantan Timur: a verified group with a submitted permit, a pending group, a pending hotel.
    Officers: the province's, Samarinda's, Bali's; and a plain user."""
    chair = make.user("ketua@uji.example")
    group = make.group(chair, name="UPPKS Mawar", regency="64.72")
    product = make.product(
        group,
        permits=[
            {"type": "pirt", "number": "206647201002925", "expires_on": (today_wib() + timedelta(days=400)).isoformat()}
        ],
    )
    pending = make.group(make.user("ketua2@uji.example"), name="UPPKS Baru", regency="64.72", verified=False)
    from app.wholesale import organisations as wholesale

    org = wholesale.register_org(
        make.user("hotel@uji.example"), {"name": "Hotel Mesra", "type": "hotel", "regency": "64.72"}
    )
    for email, kw in (
        ("kaltim@uji.example", {"province": "64"}),
        ("samarinda@uji.example", {"regency": "64.72"}),
        ("bali@uji.example", {"province": "51"}),
    ):
        make.user(email, role="officer", **kw)
    make.user("warga@uji.example")
    return {"group": group, "pending": pending, "product": product, "permit": product.permits[0], "org": org}


def test_every_officer_route_refuses_outside_the_scope(app, region):
    g, pending, product, permit, org = (region[k] for k in ("group", "pending", "product", "permit", "org"))
    reads = [
        "/officer?province=64",
        "/officer?regency=64.72",
        f"/officer/groups/{g.slug}",
        f"/officer/permits/{permit.id}",
        "/officer/help?province=64",
        "/officer/export.csv?province=64",
        "/officer/export.xlsx?province=64",
    ]
    writes = [
        (f"/officer/groups/{pending.slug}/decide", {"decision": "verified"}),
        (f"/officer/permits/{permit.id}/decide", {"decision": "verified"}),
        (f"/officer/products/{product.id}/moderate", {"hide": "1", "reason": "Foto tidak pantas"}),
        (f"/officer/organisations/{org.id}/reject", {"reason": "NPWP palsu"}),
        (f"/admin/organisations/{org.id}/verify", {"payment_terms_days": "14"}),
    ]
    for email in ("bali@uji.example", "warga@uji.example"):
        client = app.test_client()
        login(client, email)
        for url in reads:
            assert client.get(url).status_code == 403, (email, url)
        for url, data in writes:
            assert client.post(url, data=data).status_code == 403, (email, url)
        assert client.post(f"/admin/groups/{pending.slug}/verify").status_code == 403
        auth = token(client, email)
        for method, url, body in (
            ("get", "/api/v1/stats?province=64", None),
            ("get", "/api/v1/stats", None)
            if email == "warga@uji.example"
            else ("get", "/api/v1/stats?regency=64.72", None),
            ("post", f"/api/v1/permits/{permit.id}/verify", None),
            ("post", f"/api/v1/permits/{permit.id}/reject", {"reason": "Tidak terdaftar"}),
            ("post", f"/api/v1/groups/{pending.slug}/verify", None),
            ("post", f"/api/v1/organisations/{org.id}/verify", {"payment_terms_days": 14}),
        ):
            response = (
                getattr(client, method)(url, headers=auth, json=body)
                if body
                else getattr(client, method)(url, headers=auth)
            )
            assert response.status_code == 403, (email, url, response.json)
        assert db.session.get(Group, pending.id).status == "pending"
    # a kabupaten officer cannot widen to the whole province; the province's officer can
    sam = app.test_client()
    login(sam, "samarinda@uji.example")
    assert sam.get("/officer?province=64").status_code == 403
    assert sam.get("/officer").status_code == 200
    assert sam.get("/officer?province=64&regency=64.72").status_code == 200
    assert sam.get("/api/v1/stats?regency=64.71", headers=token(sam, "samarinda@uji.example")).status_code == 403
    kaltim = app.test_client()
    login(kaltim, "kaltim@uji.example")
    for url in reads:
        assert kaltim.get(url).status_code == 200, url
    assert kaltim.get("/officer?province=51").status_code == 403


def test_queues_hold_only_the_scope_and_decisions_are_logged(app, region, make):
    g, pending, permit, org = (region[k] for k in ("group", "pending", "permit", "org"))
    bali, kaltim = app.test_client(), app.test_client()
    login(bali, "bali@uji.example")
    login(kaltim, "kaltim@uji.example")
    bali_queue = bali.get("/officer/queue").get_data(as_text=True)
    assert "UPPKS Baru" not in bali_queue and "206647201002925" not in bali_queue and "Hotel Mesra" not in bali_queue
    queue = kaltim.get("/officer/queue").get_data(as_text=True)
    assert "UPPKS Baru" in queue and "206647201002925" in queue and "Hotel Mesra" in queue
    evidence = kaltim.get(f"/officer/permits/{permit.id}").get_data(as_text=True)
    assert "sesuai" in evidence and "UPPKS Mawar" in evidence
    no_reason = kaltim.post(
        f"/officer/permits/{permit.id}/decide", data={"decision": "rejected"}, follow_redirects=True
    )
    assert "Wajib diisi." in no_reason.get_data(as_text=True) or "Tuliskan alasannya" in no_reason.get_data(
        as_text=True
    )
    kaltim.post(
        f"/officer/permits/{permit.id}/decide",
        data={"decision": "rejected", "reason": "Nomor tidak terdaftar di Dinkes"},
    )
    kaltim.post(f"/officer/groups/{pending.slug}/decide", data={"decision": "verified"})
    assert kaltim.post(f"/admin/organisations/{org.id}/verify", data={"payment_terms_days": "14"}).status_code == 302
    decisions = db.session.scalars(db.select(Decision).order_by(Decision.id)).all()
    assert [(d.kind, d.decision) for d in decisions][-3:] == [
        ("permit", "rejected"),
        ("group", "verified"),
        ("organisation", "verified"),
    ]
    assert all(d.actor.email == "kaltim@uji.example" and d.created_at for d in decisions[-3:])
    # the group sees why
    chair = app.test_client()
    login(chair, "ketua@uji.example")
    edit = chair.get(f"/products/{region['product'].id}/edit").get_data(as_text=True)
    assert "Nomor tidak terdaftar di Dinkes" in edit and "Ditolak" in edit
    assert any("206647201002925" in m["Subject"] for m in outbox())
    assert db.session.get(Organisation, org.id).payment_terms_days == 14


def test_moderation_hides_a_product_and_suspends_a_group_with_reasons(app, client, region):
    g, product = region["group"], region["product"]
    kaltim = app.test_client()
    login(kaltim, "kaltim@uji.example")
    kaltim.post(f"/officer/products/{product.id}/moderate", data={"hide": "1", "reason": "Klaim khasiat berlebihan"})
    assert client.get(f"/p/{product.id}/{product.slug}").status_code == 404
    assert "Amplang Ikan Pipih" not in client.get("/search?q=amplang").get_data(as_text=True)
    chair = app.test_client()
    login(chair, "ketua@uji.example")
    assert "Klaim khasiat berlebihan" in chair.get(f"/groups/{g.slug}/manage").get_data(as_text=True)
    kaltim.post(f"/officer/products/{product.id}/moderate", data={"hide": "0"})
    assert client.get(f"/p/{product.id}/{product.slug}").status_code == 200
    kaltim.post(f"/officer/groups/{g.slug}/decide", data={"decision": "suspended", "reason": "Sedang diperiksa"})
    assert (
        client.get(f"/g/{g.slug}").status_code == 404
        and client.get(f"/p/{product.id}/{product.slug}").status_code == 404
    )
    manage = chair.get(f"/groups/{g.slug}/manage").get_data(as_text=True)
    assert "Dibekukan" in manage and "Sedang diperiksa" in manage
    kaltim.post(f"/officer/groups/{g.slug}/decide", data={"decision": "restored"})
    assert client.get(f"/g/{g.slug}").status_code == 200


def test_expiring_permits_are_flagged_and_groups_told_once(app, region, runner):
    permit = region["permit"]
    permit.status = "verified"
    permit.expires_on = today_wib() + timedelta(days=30)
    db.session.commit()
    kaltim = app.test_client()
    login(kaltim, "kaltim@uji.example")
    assert "206647201002925" in kaltim.get("/officer/queue").get_data(as_text=True).split("60")[-1]
    assert "notified 1" in runner.invoke(args=["permits", "notify-expiring"]).output
    assert "notified 0" in runner.invoke(args=["permits", "notify-expiring"]).output
    assert sum("segera habis" in m["Subject"] for m in outbox()) == 1


def _direct_counts(province=None, regency=None):
    """What a person counting rows by hand would get."""
    today = today_wib()
    groups = [
        g
        for g in db.session.scalars(db.select(Group))
        if g.status != "rejected"
        and (province is None or g.province_code == province)
        and (regency is None or g.regency_code == regency)
    ]
    ids = {g.id for g in groups}
    products = [p for p in db.session.scalars(db.select(Product)) if p.group_id in ids and p.status == "active"]
    with_permit = [
        p
        for p in products
        if any(x.status == "verified" and (x.expires_on is None or x.expires_on >= today) for x in p.permits)
    ]
    sales = [
        o
        for o in db.session.scalars(db.select(Order))
        if o.group_id in ids and o.status in ("paid", "invoiced", "processing", "shipped", "delivered", "completed")
    ]
    completed: dict = {}
    for o in db.session.scalars(db.select(Order)):
        if o.status == "completed" and o.organisation_id and o.group_id in ids:
            completed[(o.group_id, o.organisation_id)] = completed.get((o.group_id, o.organisation_id), 0) + 1
    pairs = {k for k, n in completed.items() if n >= 2}
    return {
        "groups": len(groups),
        "verified_groups": sum(g.status == "verified" for g in groups),
        "members": sum(g.member_count for g in groups),
        "products": len(products),
        "products_with_permit": len(with_permit),
        "orders": len(sales),
        "sales_idr": sum(o.goods_idr for o in sales),
        "partnerships": len(pairs),
        "groups_with_partner": len({g for g, _o in pairs}),
    }


def test_dashboard_numbers_equal_direct_counts_on_demo_data(app, runner, make):
    assert runner.invoke(args=["demo", "seed", "--no-photos"]).exit_code == 0
    admin_auth = token(app.test_client(), "admin@pasar.example", "pasar-demo-2026")
    client = app.test_client()
    for province, regency in ((None, None), ("64", None), ("64", "64.72"), ("17", None)):
        query = "&".join(f"{k}={v}" for k, v in (("province", province), ("regency", regency)) if v)
        stats = client.get(f"/api/v1/stats?{query}", headers=admin_auth).json
        expected = _direct_counts(province, regency)
        assert {k: stats[k] for k in expected} == expected, (province, regency)
    national = client.get("/api/v1/stats", headers=admin_auth).json
    assert national["groups"] >= 9 and national["partnerships"] == 1 and national["orders"] >= 2
    assert sum(t["groups"] for t in national["by_business_type"].values()) == national["groups"]
    login(client, "admin@pasar.example", "pasar-demo-2026")
    page = client.get("/officer").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page and "Kota Samarinda" in page
    # the charts' names are whole and in words: "Industri rumah tangga", months by name, never "2026-11"
    assert ">Industri rumah tangga<" in page and "rumah tan…" not in page
    assert not re.search(r">20\d\d-\d\d<", page) and re.search(
        r">(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) 20\d\d<", page
    )
    rows = list(csv.reader(io.StringIO(client.get("/officer/export.csv").data.decode("utf-8-sig"))))
    assert rows[0][0] == "kode" and rows[-1][1] == "JUMLAH" and int(rows[-1][2]) == national["groups"]
    book = load_workbook(io.BytesIO(client.get("/officer/export.xlsx?province=64").data))
    sheet = book["Per kabupaten-kota"]
    last = [c.value for c in list(sheet.rows)[-1]]
    assert last[1] == "JUMLAH" and last[2] == _direct_counts("64")["groups"]


def test_groups_that_need_help(app, make):
    from app.officers import need_help as services
    from app.orders import checkout as orders
    from app.orders.status import mark_paid

    busy = make.group(name="UPPKS Rajin", regency="64.72")
    product = make.product(busy, permits=[{"type": "pirt", "number": "206647201002925"}])
    product.permits[0].status = "verified"
    db.session.commit()
    make.photo(product)
    quiet = make.group(name="UPPKS Sepi", regency="64.72")
    make.product(quiet, permits=[{"type": "pirt", "number": "206647201002926"}])  # submitted only, no photo
    buyer = make.user("pembeli@uji.example")
    from tests.support.buying import ADDRESS

    placed = orders.place_checkout(
        buyer, orders.CheckoutRequest(items=[(product.id, 1)], shipping_address=ADDRESS, payment_method="bank_transfer")
    )
    mark_paid(placed)
    rows = {r["group"].name: r["reasons"] for r in services.need_help(services.Area(province="64"))}
    assert "UPPKS Rajin" not in rows
    assert rows["UPPKS Sepi"] == ["no_sale_90_days", "no_photo", "unverified_permits_only"]
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Permit.id))) == 2


def test_member_uploads_the_permit_scan_the_officer_opens(app, region):
    from tests.support.factories import jpeg

    permit, product = region["permit"], region["product"]
    chair = app.test_client()
    login(chair, "ketua@uji.example")
    bad = chair.post(
        f"/products/{product.id}/permits/{permit.id}/document",
        data={"file": (io.BytesIO(b"%PDF-1.4"), "izin.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "tidak diterima" in bad.get_data(as_text=True) or "bukan gambar" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert permit.document_key is None
    chair.post(
        f"/products/{product.id}/permits/{permit.id}/document",
        data={"file": (io.BytesIO(jpeg()), "izin.jpg")},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    assert permit.document_key
    kaltim = app.test_client()
    login(kaltim, "kaltim@uji.example")
    page = kaltim.get(f"/officer/permits/{permit.id}").get_data(as_text=True)
    assert permit.document_key not in page  # private: never under the public media URL
    assert f"/permits/{permit.id}/document" in page
    scan = kaltim.get(f"/permits/{permit.id}/document")
    assert document(scan)[:2] == (200, "image/webp")
    assert scan.headers["Cache-Control"] == "private, no-store"
    assert document(chair.get(f"/permits/{permit.id}/document"))[0] == 200  # its own group
    assert app.test_client().get(f"/media/{permit.document_key}").status_code == 404
    assert app.test_client().get(f"/permits/{permit.id}/document").status_code == 302  # sign in first
    bali = app.test_client()
    login(bali, "bali@uji.example")
    assert bali.get(f"/permits/{permit.id}/document").status_code == 403  # an officer outside the scope
    other = app.test_client()
    login(other, "ketua2@uji.example")
    assert other.get(f"/permits/{permit.id}/document").status_code == 404  # another group's chair
    assert (
        other.post(
            f"/products/{product.id}/permits/{permit.id}/document",
            data={"file": (io.BytesIO(jpeg()), "x.jpg")},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )


def test_officer_records_an_agreement_as_a_partnership(app, region, make):
    from app.wholesale import organisations as wholesale

    g, org = region["group"], region["org"]
    wholesale.verify_org(make.admin(), org.id, 0)
    bali, kaltim = app.test_client(), app.test_client()
    login(bali, "bali@uji.example")
    login(kaltim, "kaltim@uji.example")
    assert bali.post(f"/officer/groups/{g.slug}/partners", data={"organisation_id": org.id}).status_code == 403
    kaltim.post(f"/officer/groups/{g.slug}/partners", data={"organisation_id": org.id, "note": "MoU 2026"})
    again = kaltim.post(f"/officer/groups/{g.slug}/partners", data={"organisation_id": org.id}, follow_redirects=True)
    assert "sudah tercatat" in again.get_data(as_text=True)
    assert [o.name for o in wholesale.partners_of_group(g)] == ["Hotel Mesra"]
    assert "Hotel Mesra" in app.test_client().get(f"/g/{g.slug}").get_data(as_text=True)


def test_the_dashboards_numbers_are_kept_per_area_and_recounted_by_the_job(app, client, make):
    from datetime import timedelta

    from app.core.types import utcnow
    from app.officers import stats as officers
    from app.officers.models import StatsSnapshot

    app.config.update(OFFICER_STATS_SECONDS=60)
    make.group(name="UPPKS Mawar")
    auth = token(client, make.admin().email)
    first = client.get("/api/v1/stats", headers=auth).json
    make.group(name="UPPKS Melati")
    kept = client.get("/api/v1/stats", headers=auth).json
    assert kept == first and kept["groups"] == 1 and kept["as_of"]  # the same counting, said when
    assert "Angka per" in _dashboard(app, make)
    assert officers.refresh_stats() == 0  # counted just now: nothing is due
    # forty seconds later the job (each minute) recounts the areas officers look at
    db.session.execute(db.update(StatsSnapshot).values(counted_at=utcnow() - timedelta(seconds=40)))
    db.session.commit()
    assert officers.refresh_stats() == 1
    recounted = client.get("/api/v1/stats", headers=auth).json
    assert recounted["groups"] == 2 and recounted["as_of"] > first["as_of"]
    # the snapshot is the direct count
    counted = officers.count_stats(officers.Area())
    assert {k: v for k, v in recounted.items() if k != "as_of"} == json.loads(json.dumps(counted))
    # no job ran for a while: the next officer counts afresh
    make.group(name="UPPKS Kenanga")
    db.session.execute(db.update(StatsSnapshot).values(counted_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert client.get("/api/v1/stats", headers=auth).json["groups"] == 3


def _dashboard(app, make):
    page = app.test_client()
    login(page, make.admin().email)
    return page.get("/officer").get_data(as_text=True)


def test_the_periodic_jobs_run_from_cron_without_the_scheduler(app, make):
    app.config.update(OFFICER_STATS_SECONDS=60)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["jobs", "run", "stats.refresh"]).output.strip() == "stats.refresh: 0"
    made = runner.invoke(args=["jobs", "run", "search.score"])
    assert made.exit_code == 0 and made.output.startswith("search.score: ")
    assert runner.invoke(args=["jobs", "run", "nothing"]).exit_code != 0


def test_after_a_permit_the_officer_goes_on_to_the_next_one_waiting(app, region, make):
    second = make.product(
        region["group"], name="Keripik Pisang", permits=[{"type": "pirt", "number": "206647201002926"}]
    )
    officer = app.test_client()
    login(officer, "kaltim@uji.example")
    first = region["permit"]
    page = officer.post(
        f"/officer/permits/{first.id}/decide", data={"decision": "verified"}, follow_redirects=True
    ).get_data(as_text=True)
    nxt = second.permits[0]
    assert f'href="/officer/permits/{nxt.id}"' in page and "Izin berikutnya: 206647201002926" in page
    page = officer.post(
        f"/officer/permits/{nxt.id}/decide", data={"decision": "verified"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Tidak ada izin lain yang menunggu." in page  # the queue is done
