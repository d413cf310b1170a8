"""The site's address is configuration (PUBLIC_URL), never the request's Host header: every link the
platform sends (password reset, registration, invitations, a guest's checkout link, order e-mails, the
sales statement's PDF and QR code, the API's URLs, the calendar) leads to the site, whatever Host a
request named; requests for a host that is not the site's are refused; the page cache keeps the site's
own pages only; /media never serves a private file through a dot segment; add to cart compares the
whole origin."""

import io
import re
import shutil
import subprocess

import pytest
import segno
from icalendar import Calendar
from PIL import Image

from app import create_app
from app.core.storage import LocalStorage
from app.extensions import db
from app.orders.models import Checkout
from app.sales.models import SalesStatement
from tests.events.test_events import _published
from tests.orders.test_checkout_pages import FORM, shown_total
from tests.sales.test_statements import _last_month_sales
from tests.support.buying import two_groups
from tests.support.factories import jpeg, login, token
from tests.support.wholesale import HOTEL

SITE = "https://pasar.example"
MIRROR = "cermin.example"  # another name the site answers for (EXTRA_TRUSTED_HOSTS), never its address


@pytest.fixture
def site(app):
    """The site lives at https://pasar.example and also answers for cermin.example (and the test
    client's localhost)."""
    app.config.update(PUBLIC_URL=SITE, EXTRA_TRUSTED_HOSTS=("localhost", "127.0.0.1", MIRROR))
    return app


def via(client, host: str = MIRROR):
    """A test client whose every request names `host` in its Host header."""
    opener = client.open

    def open_with_host(*args, **kwargs):
        kwargs["headers"] = {"Host": host, **dict(kwargs.get("headers") or {})}
        return opener(*args, **kwargs)

    client.open = open_with_host
    return client


def mails(app, to: str | None = None) -> list[str]:
    return [m.get_content() for m in app.extensions.get("mail_outbox", []) if to is None or to in m["To"]]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def only_site_links(text: str, path: str) -> str:
    """The text's links all lead to the site; the one to `path` is returned."""
    found = links_in(text)
    assert found and all(u.startswith(SITE + "/") for u in found), found
    return next(u for u in found if u.startswith(SITE + path))


# ------------------------------------------------------------------ e-mailed links


def test_a_password_reset_asked_for_under_another_host_mails_the_sites_link(site, make):
    make.user("korban@uji.example")
    asked = via(site.test_client()).post("/password/forgot", data={"email": "korban@uji.example"})
    assert asked.status_code == 302
    link = only_site_links(mails(site, "korban@uji.example")[-1], "/password/reset/")
    assert site.test_client().get(link[len(SITE) :]).status_code == 200  # the link works


def test_registering_under_another_host_mails_the_sites_links(site, make):
    page = via(site.test_client())
    fresh = page.post("/register", data={"name": "Budi", "email": "baru@uji.example", "password": "rahasia-uji-123"})
    assert fresh.status_code == 200
    only_site_links(mails(site, "baru@uji.example")[-1], "/register/confirm/")
    make.user("lama@uji.example")
    page.post("/register", data={"name": "Budi", "email": "lama@uji.example", "password": "rahasia-uji-123"})
    only_site_links(mails(site, "lama@uji.example")[-1], "/login")  # "you have an account: sign in"


def test_group_and_staff_invitations_link_to_the_site(site, make):
    group = make.group(make.user("ketua@uji.example"), name="UPPKS Mawar")
    chair = via(site.test_client())
    login(chair, "ketua@uji.example")
    invited = chair.post(f"/groups/{group.slug}/members", data={"email": "anggota@uji.example", "role": "member"})
    assert invited.status_code == 302
    only_site_links(mails(site, "anggota@uji.example")[-1], "/invitations/")
    # through the API: a business buyer invites a colleague
    make.user("pembelian@hotel.example")
    api = via(site.test_client())
    auth = token(api, "pembelian@hotel.example")
    org = api.post("/api/v1/organisations", headers=auth, json=HOTEL).json
    staff = api.post(f"/api/v1/organisations/{org['id']}/staff", headers=auth, json={"email": "staf@hotel.example"})
    assert staff.status_code == 202
    only_site_links(mails(site, "staf@hotel.example")[-1], "/invitations/")


def test_a_guests_order_mails_and_a_refused_transfer_carry_the_sites_checkout_link(site, make):
    samarinda, _b, amplang, _k = two_groups(make)
    chair = via(site.test_client())
    login(chair, "ketua.smd@uji.example")
    chair.post(
        f"/groups/{samarinda.slug}/payout",
        data={
            "payout_bank": "Bank Kaltimtara",
            "payout_account_number": "0012-3456-789",
            "payout_account_name": "UPPKS Mawar",
        },
    )
    guest = via(site.test_client())
    guest.post("/cart/add", data={"product_id": amplang.id, "quantity": "1"})
    page = guest.post("/checkout", data=dict(FORM, action="quote")).get_data(as_text=True)
    placed = guest.post(
        "/checkout",
        data=dict(FORM, action="place", email="tamu@uji.example", phone="081299990000", shown_total=shown_total(page)),
    )
    assert placed.status_code == 302
    checkout = db.session.scalars(db.select(Checkout)).one()
    link = only_site_links(mails(site, "tamu@uji.example")[-1], "/checkout/")
    assert link == f"{SITE}/checkout/{checkout.access_key}"
    guest.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "b.jpg")},
        content_type="multipart/form-data",
    )
    refused = chair.post(f"/transfers/{checkout.id}/refuse", data={"reason": "Belum ada dana masuk hari ini."})
    assert refused.status_code == 302
    text = mails(site, "tamu@uji.example")[-1]
    assert "Belum ada dana masuk hari ini." in text
    assert only_site_links(text, "/checkout/") == link
    # a payment settled outside any request (a job, the CLI) mails the link too
    from app.orders.status import mark_paid

    mark_paid(db.session.get(Checkout, checkout.id))
    assert only_site_links(mails(site, "tamu@uji.example")[-1], "/checkout/") == link


# ------------------------------------------------------------------ the statement, the API, the calendar


def _pdf_text_and_qr(data: bytes, tmp_path) -> tuple[str, Image.Image]:
    if not shutil.which("pdftotext") or not shutil.which("pdfimages"):
        pytest.fail("poppler-utils are needed (the README's test command installs them)")
    path = tmp_path / "rekap.pdf"
    path.write_bytes(data)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    (qr,) = sorted(tmp_path.glob("img-*.png"))
    return text, Image.open(qr).convert("L")


def _qr_of(url: str) -> Image.Image:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)  # as app/sales/pdf.py draws it
    out.seek(0)
    return Image.open(out).convert("L")


def test_the_sales_statement_pdf_its_qr_code_and_the_api_give_the_sites_address(site, make, tmp_path):
    group, _month = _last_month_sales(site.test_client(), make)
    chair = via(site.test_client())
    login(chair, "ketua.smd@uji.example")
    chair.post(f"/groups/{group.slug}/statements", data={"months": "3"})
    row = db.session.scalars(db.select(SalesStatement)).one()
    verify = f"{SITE}/s/{row.code}"
    listed = chair.get(f"/groups/{group.slug}/statements").get_data(as_text=True)
    assert verify in listed and MIRROR not in listed
    text, qr = _pdf_text_and_qr(chair.get(f"/groups/{group.slug}/statements/{row.code}.pdf").data, tmp_path)
    assert verify in text and MIRROR not in text
    expected = _qr_of(verify)
    assert qr.size == expected.size and list(qr.getdata()) == list(expected.getdata())  # the QR code says it too
    api = via(site.test_client())
    issued = api.post(
        f"/api/v1/groups/{group.slug}/statements", headers=token(api, "ketua.smd@uji.example"), json={"months": 6}
    )
    assert issued.status_code == 201 and issued.json["verify_url"] == f"{SITE}/s/{issued.json['code']}"
    assert api.get(f"/api/v1/statements/{row.code}").json["verify_url"] == verify


def test_events_in_the_api_and_the_calendar_link_to_the_site(site, make):
    _officer, event = _published(site, make)
    client = via(site.test_client())
    page = f"{SITE}/acara/{event.slug}"
    assert [e["url"] for e in client.get("/api/v1/events").json["items"]] == [page]
    assert client.get(f"/api/v1/events/{event.slug}").json["url"] == page
    (item,) = Calendar.from_ical(client.get("/acara.ics").data).walk("VEVENT")
    assert str(item["url"]) == page


# ------------------------------------------------------------------ hosts that are not the site's

FOREIGN = ("evil.example", "pasar.example.evil.example", "127.0.0.1:5201/p/42/x?ref=U", "localhost@evil.example")


@pytest.mark.parametrize("host", FOREIGN)
def test_a_request_for_another_host_is_refused(site, make, host):
    make.user("korban@uji.example")
    before = len(mails(site))
    client = site.test_client()
    asked = client.post("/password/forgot", data={"email": "korban@uji.example"}, headers={"Host": host})
    assert asked.status_code == 400 and len(mails(site)) == before  # nothing mailed anywhere
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 400 and page.mimetype == "text/html"
    api = client.get("/api/v1/products", headers={"Host": host})
    assert api.status_code == 400 and api.mimetype == "application/problem+json"
    assert client.get("/", headers={"Host": MIRROR}).status_code == 200  # a name the site answers for


def test_the_load_balancers_probes_are_answered_by_address(site):
    client = site.test_client()
    for path in ("/healthz", "/readyz"):
        assert client.get(path, headers={"Host": "10.0.0.7:8000"}).status_code == 200, path
    assert client.get("/", headers={"Host": "10.0.0.7:8000"}).status_code == 400


def test_production_needs_its_public_url_and_answers_for_its_host_only(migrated, tmp_path):
    base = {
        "PASAR_ENV": "production",
        "SECRET_KEY": "x" * 32,
        "SQLALCHEMY_DATABASE_URI": migrated,
        "MEDIA_ROOT": str(tmp_path),
    }
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(dict(base, PUBLIC_URL=""))
    for wrong in ("pasar.example", "ftp://pasar.example", "https://pasar.example/?a=1", "https://u@pasar.example"):
        with pytest.raises(RuntimeError, match="PUBLIC_URL"):
            create_app(dict(base, PUBLIC_URL=wrong))
    prod = create_app(dict(base, PUBLIC_URL="https://pasar.example/", EXTRA_TRUSTED_HOSTS=("www.pasar.example",)))
    assert prod.config["PUBLIC_URL"] == "https://pasar.example"
    with prod.app_context():
        client = prod.test_client()
        assert client.get("/", base_url="https://pasar.example").status_code == 200
        assert client.get("/", base_url="https://www.pasar.example").status_code == 200
        for host in ("localhost", "127.0.0.1", "evil.example"):  # development's and tests' hosts are not trusted
            assert client.get("/", base_url=f"https://{host}").status_code == 400, host
        assert client.get("/healthz", base_url="http://10.0.0.7:8000").status_code == 200
        db.engine.dispose()


def test_development_links_to_the_local_address_or_its_port():
    from config import settings

    development = settings("development", {"PORT": "5123", "SECRET_KEY": "k"})
    assert development["PUBLIC_URL"] == "http://127.0.0.1:5123"
    assert {"127.0.0.1", "localhost"} <= set(development["EXTRA_TRUSTED_HOSTS"])
    production = settings(
        "production", {"PUBLIC_URL": "https://pasar.example", "TRUSTED_HOSTS": "www.pasar.example, lb.internal"}
    )
    assert production["PUBLIC_URL"] == "https://pasar.example"
    assert production["EXTRA_TRUSTED_HOSTS"] == ("www.pasar.example", "lb.internal")


def test_production_writes_no_development_key_and_refuses_to_start_without_one(tmp_path):
    from app import create_app
    from config import settings

    assert settings("production", {})["SECRET_KEY"] == ""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(dict(settings("production", {}), PUBLIC_URL="https://pasar.example"))


# ------------------------------------------------------------------ the page cache


@pytest.fixture
def page_cache_on(app):
    """Redis (this run's TEST_REDIS_URL) and the page cache in front of the app."""
    import os

    import redis

    from app.core import page_cache

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis")
    app.config.update(REDIS_URL=url, PAGE_CACHE=True, JOBS_EAGER=True)
    app.extensions.pop("pasar_redis", None)
    if not isinstance(app.wsgi_app, page_cache.PageCache):
        page_cache.install(app)
    yield app
    redis.Redis.from_url(url).flushdb()
    app.extensions.pop("pasar_redis", None)


def test_a_host_cannot_file_one_page_under_another_pages_address(page_cache_on, make):
    group = make.group(name="UPPKS Mawar")
    rahasia = make.product(group, name="Amplang Titipan Penyerang", stock=5)
    korban = make.product(group, name="Keripik Pisang Asli", stock=5)
    client = page_cache_on.test_client()
    target = client.get(f"/p/{rahasia.id}").headers["Location"]  # /p/<id>/<slug>
    trap = f"/p/{korban.id}/x?ref=U"
    # the attacker's request: its Host runs into the path and the query of another page's address
    client.get(target, headers={"Host": f"localhost{trap}"})
    victim = client.get(f"{trap}{target}?")  # host + path + "?" + query: the same characters, once run together
    assert victim.headers.get("X-Page-Cache") != "hit"
    assert "Amplang Titipan Penyerang" not in victim.get_data(as_text=True)


def test_only_the_sites_own_host_has_its_pages_kept(page_cache_on, make):
    amplang = make.product(make.group(), name="Amplang Pipih", stock=5)
    client = page_cache_on.test_client()
    path = client.get(f"/p/{amplang.id}").headers["Location"]
    for _ in range(2):
        other = client.get(path, headers={"Host": "127.0.0.1"})  # trusted in tests, but not PUBLIC_URL's host
        assert other.status_code == 200 and "X-Page-Cache" not in other.headers
    client.get(path)
    assert client.get(path).headers["X-Page-Cache"] == "hit"  # localhost: the tests' PUBLIC_URL


# ------------------------------------------------------------------ /media and dot segments


def test_a_private_file_is_never_served_from_media_through_dot_segments(app, client):
    local = LocalStorage(app.config["MEDIA_ROOT"], "/media/")
    local.put("proofs/ab/bukti.webp", b"RIFF-bukti-transfer")
    local.put("products/ab/foto.webp", b"RIFF-foto")
    photo = client.get("/media/products/ab/foto.webp")
    assert photo.status_code == 200 and photo.data == b"RIFF-foto" and "immutable" in photo.headers["Cache-Control"]
    for path in (
        "/media/proofs/ab/bukti.webp",
        "/media/./proofs/ab/bukti.webp",
        "/media/x/../proofs/ab/bukti.webp",
        "/media/products/%2e%2e/proofs/ab/bukti.webp",
        "/media/products/%2E%2E/proofs/ab/bukti.webp",
        "/media/products/./ab/foto.webp",
    ):
        answer = client.get(path)
        assert answer.status_code == 404 and b"bukti" not in answer.data, path


def test_the_bucket_serves_no_private_file_through_dot_segments(app, s3):
    """Object storage: a key is taken literally ("products/../proofs/…" is no object), and the bucket's
    policy lets anyone read products/ only."""
    import http.client
    from urllib.parse import urlsplit

    from app.core.storage import make_storage

    store = make_storage(app.config)
    store.put("proofs/ab/bukti.webp", b"RIFF-bukti-transfer")
    store.put("products/ab/foto.webp", b"RIFF-foto")
    base = urlsplit(store.url(""))

    def get(path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=10)  # sends the path as it is
        conn.request("GET", base.path + path)
        answer = conn.getresponse()
        return answer.status, answer.read()

    assert get("products/ab/foto.webp") == (200, b"RIFF-foto")
    for path in (
        "proofs/ab/bukti.webp",
        "./proofs/ab/bukti.webp",
        "x/../proofs/ab/bukti.webp",
        "products/%2e%2e/proofs/ab/bukti.webp",
    ):
        status, body = get(path)
        assert status in (403, 404) and b"RIFF" not in body, path


# ------------------------------------------------------------------ add to cart from another origin


def test_add_to_cart_compares_the_whole_origin(app, make):
    amplang = make.product(make.group(), name="Amplang Pipih", stock=5)
    form = {"product_id": amplang.id, "quantity": 1}
    client = app.test_client()  # PUBLIC_URL is http://localhost
    for origin in ("https://localhost", "http://localhost:8080", "http://evil.example", "null", "localhost"):
        assert client.post("/cart/add", data=form, headers={"Origin": origin}).status_code == 403, origin
    assert client.post("/cart/add", data=form, headers={"Referer": "https://localhost/p/1/x"}).status_code == 403
    assert client.post("/cart/add", data=form, headers={"Origin": "http://localhost"}).status_code == 302
    assert client.post("/cart/add", data=form, headers={"Origin": "HTTP://LOCALHOST:80"}).status_code == 302
    assert client.post("/cart/add", data=form, headers={"Referer": "http://localhost/p/1/x"}).status_code == 302
    # Fetch Metadata comes first, as the browser knows best
    assert (
        client.post(
            "/cart/add", data=form, headers={"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}
        ).status_code
        == 403
    )
    assert client.post("/cart/add", data=form, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302
    assert "Keranjang (" in client.get("/cart").get_data(as_text=True)
