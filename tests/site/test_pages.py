"""What every page owes a phone on a slow connection: nothing from another host, no script needed,
sized images, both languages."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.support.factories import login

ROOT = Path(__file__).resolve().parents[2]


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    p = Collect()
    p.feed(html)
    return p.tags


@pytest.fixture
def pages(app, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    product = make.product(
        group,
        permits=[{"type": "pirt", "number": "206647201002925"}],
        price_tiers=[{"min_qty": 10, "unit_price_idr": 20000}],
    )
    make.photo(product)
    make.photo(product, size=(600, 800))
    member = app.test_client()
    login(member, "ketua@uji.example")
    public = [
        "/",
        "/search?q=amplang",
        "/search",
        f"/p/{product.id}/{product.slug}",
        f"/g/{group.slug}",
        "/groups",
        "/login",
        "/register",
    ]
    private = [
        f"/groups/{group.slug}",
        f"/groups/{group.slug}/manage",
        f"/products/{product.id}/edit",
        f"/groups/{group.slug}/products/new",
        "/groups/new",
        "/account",
    ]
    return app.test_client(), member, public, private


def test_pages_load_nothing_from_elsewhere_need_no_script_and_size_images(app, pages):
    """Nothing from another host, except photos from the bucket (or CDN) when uploads live there: that
    origin, and only it, is in the CSP's img-src."""
    from app.core.storage import storage

    public_client, member, public, private = pages
    media = storage().url("")
    media = media if media.startswith("http") else None
    for client, urls in ((public_client, public), (member, private)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            tags = parse(response.get_data(as_text=True))
            assert not [t for t, _ in tags if t == "script"], url
            for tag, attrs in tags:
                for key in ("src", "srcset") + (("href",) if tag == "link" else ()):
                    value = attrs.get(key) or ""
                    if media and tag == "img":
                        value = value.replace(media, "/")
                    assert not re.search(r"(^|[\s,])(https?:)?//", value), (url, tag, value)
                if tag == "img":
                    assert attrs.get("width") and attrs.get("height"), (url, attrs)
                    assert attrs.get("alt") is not None
            csp = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in csp
            img_src = re.search(r"img-src ([^;]+)", csp).group(1).split()
            assert img_src == ["'self'", "data:"] + (
                [media.split("/")[0] + "//" + media.split("/")[2]] if media else []
            )


def test_product_page_is_small(pages):
    client, _member, public, _private = pages
    html = client.get(public[3]).get_data()
    assert len(html) < 12_000


def test_english_on_request_and_remembered(client, pages):
    public_client = pages[0]
    english = public_client.get("/?lang=en").get_data(as_text=True)
    assert "Newest products" in english and 'lang="en"' in english
    assert "Sign in" in public_client.get("/login").get_data(as_text=True)
    assert "Masuk" in public_client.get("/login?lang=id").get_data(as_text=True)


def test_form_messages_follow_the_language(client):
    indonesian = client.post("/register", data={"name": "", "email": "", "password": ""}).get_data(as_text=True)
    assert "Wajib diisi." in indonesian and "This field is required." not in indonesian
    client.get("/?lang=en")
    english = client.post("/register", data={"name": "", "email": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." in english


def test_every_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with open(pot, "rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
        english = {m.id: m.string for m in read_po(fh) if m.id}
    missing = sorted(i for i in wanted if not english.get(i))
    assert not missing, f"untranslated (run: pybabel update, then translate): {missing}"


def test_static_files_are_ours(client):
    css = client.get("/static/vendor/pico/pico.jade.min.css")
    assert css.status_code == 200 and b"@import" not in css.data
    assert b"url(http" not in css.data


def test_errors_are_pages_not_stack_traces(client):
    assert "Halaman tidak ditemukan." in client.get("/tidak-ada").get_data(as_text=True)
    assert client.get("/p/999999").status_code == 404
    assert client.get("/groups?offset=x").status_code == 200  # an offset that does not parse is the first page
    assert client.get("/groups?offset=100000000000000000000").status_code == 200


def test_aria_invalid_only_on_fields_with_errors(client):
    fresh = client.get("/register").get_data(as_text=True)
    assert "aria-invalid" not in fresh  # never "None": a screen reader would read every field as invalid
    wrong = client.post("/register", data={"name": "Ibu Sari", "email": "bukan-email", "password": "kopi"}).get_data(
        as_text=True
    )
    assert re.findall(r'aria-invalid="([^"]*)"', wrong) == ["true", "true"]  # email and password, nothing else
    assert 'aria-describedby="email-error"' in wrong and 'id="email-error"' in wrong
