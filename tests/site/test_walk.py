"""Every role walks its pages in Chromium on a 360 px phone and at 1366 px, on the demo data: no page is wider than
the screen, no raw code word (`pending_payment`, `active`, `(chair)`…) shows in the Indonesian text,
and `aria-invalid` is only ever true or false. Screenshots land in tests/artifacts/walk/."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.support import ARTIFACTS

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# codes a person must never read on an Indonesian page (whole words, as the database holds them)
RAW = re.compile(
    r"\b(?:[a-z]+_[a-z_]+|active|draft|archived|open|accepted|declined|unpaid|invoiced|verified|submitted|"
    r"rejected|pending|paid|processing|shipped|delivered|completed|cancelled|refunded|expired|closed)\b"
    r"|\((?:chair|member|hotel|shop|office|supermarket|restaurant|exporter|other)\)"
)
RAW_IN_ENGLISH = re.compile(r"\b[a-z]+_[a-z_]+\b")
# what the pages legitimately show that the pattern above would catch
ALLOWED = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+")
DEMO_PASSWORD = "pasar-demo-2026"


def _demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--no-photos"])
    assert result.exit_code == 0, result.output


def _pages(app) -> dict[str, list[str]]:
    from app.catalog.models import Permit, Product
    from app.events.models import Event
    from app.groups.models import Group
    from app.wholesale.models import Invoice

    group = db.session.scalars(select(Group).where(Group.status == "verified").order_by(Group.id)).first()
    product = db.session.scalars(select(Product).where(Product.group_id == group.id).order_by(Product.id)).first()
    permit = db.session.scalars(select(Permit).order_by(Permit.id)).first()
    invoice = db.session.scalars(select(Invoice).order_by(Invoice.id)).first()
    bazaar, fair = db.session.scalars(select(Event).order_by(Event.id)).all()
    exported = db.session.scalars(select(Product).where(Product.export_ready).order_by(Product.id)).first()
    public = [
        "/",
        "/search?q=amplang",
        "/c/amplang",
        f"/p/{product.id}/{product.slug}",
        "/groups",
        f"/g/{group.slug}",
        "/cart",
        "/acara",
        f"/acara/{bazaar.slug}",
        "/provinsi/64",
        "/search?export=1",
        f"/export/p/{exported.id}",
    ]
    return {
        "anonymous": public + ["/login", "/register", "/password/forgot"],
        "pembeli@pasar.example": ["/cart", "/checkout", "/orders", "/account"],
        "ketua@pasar.example": [
            f"/groups/{group.slug}",
            f"/groups/{group.slug}/manage",
            f"/groups/{group.slug}/orders",
            f"/groups/{group.slug}/quotes",
            f"/groups/{group.slug}/sales",
            f"/groups/{group.slug}/statements",
            f"/products/{product.id}/edit",
            f"/groups/{group.slug}/events",
            f"/acara/{bazaar.slug}",
            f"/products/{product.id}/export",
            f"/products/{exported.id}/export",
            f"/groups/{group.slug}/products/new",
            f"/invoices/{invoice.id}",
        ],
        "bendahara@pasar.example": [
            f"/groups/{group.slug}",
            f"/groups/{group.slug}/manage",
            f"/groups/{group.slug}/orders",
            f"/groups/{group.slug}/statements",
        ],
        "anggota@pasar.example": [
            f"/groups/{group.slug}",
            f"/groups/{group.slug}/manage",
            f"/groups/{group.slug}/statements",
            "/account",
        ],
        "hotel@pasar.example": [
            "/business",
            "/business/quotes/new",
            "/orders",
            f"/invoices/{invoice.id}",
            "/checkout",
            f"/export/p/{exported.id}",
        ],
        "petugas.kaltim@pasar.example": [
            "/officer",
            "/officer/queue",
            "/officer/help",
            f"/officer/groups/{group.slug}",
            f"/officer/permits/{permit.id}",
            "/officer/events",
            "/officer/events/new",
            f"/officer/events/{fair.slug}",
            f"/officer/events/{bazaar.slug}/edit",
        ],
        "admin@pasar.example": [
            "/officer",
            "/admin/organisations",
            "/admin/transfers",
            "/admin/shipping",
            "/admin/usd-rate",
        ],
    }


def _check(page, role: str, path: str, problems: list[str], screen: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > screen["width"]:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 30))""")
        problems.append(f"{role} {path}: {width}px wide ({wide})")
    text = ALLOWED.sub(" ", page.inner_text("body"))
    # an English page (the export page) may say "verified" or "open"; a code with an underscore never
    pattern = RAW_IN_ENGLISH if page.evaluate("document.documentElement.lang") == "en" else RAW
    raw = sorted(set(m.group(0) for m in pattern.finditer(text)))
    if raw:
        problems.append(f"{role} {path}: raw codes {raw}")
    bad_aria = page.evaluate(
        "[...document.querySelectorAll('[aria-invalid]')].map(e => e.getAttribute('aria-invalid'))"
        ".filter(v => v !== 'true' && v !== 'false')"
    )
    if bad_aria:
        problems.append(f"{role} {path}: aria-invalid {bad_aria}")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone-360", "desktop-1366"])
def test_every_role_walks_its_pages(backend, app, live_server, browser, screen):
    _demo(app)
    pages = _pages(app)
    from app.catalog.models import Product

    product = next(
        p
        for p in db.session.scalars(select(Product).where(Product.stock > 0).order_by(Product.id))
        if p.lapsed_permit is None
    )  # one that is for sale, so the cart and checkout have a line
    out = ARTIFACTS / "walk" / str(screen["width"])
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for role, paths in pages.items():
        context = browser.new_context(viewport=screen)
        page = context.new_page()
        page.set_default_timeout(15000)
        if role != "anonymous":
            page.goto(f"{live_server}/login")
            page.fill("input[name=email]", role)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            if role.startswith(("petugas", "admin")):
                assert page.url.endswith("/officer/queue"), page.url  # officers start at their work
            if role.startswith(("ketua", "anggota")):
                assert page.url.endswith(paths[0]), page.url  # a group's members at their group's home
        if "/cart" in paths or "/checkout" in paths:
            page.goto(f"{live_server}/p/{product.id}/{product.slug}")
            if page.locator("input[name=quantity]").count():
                page.click("text=Tambah ke keranjang")
        for path in paths:
            response = page.goto(f"{live_server}{path}")
            assert response.status < 500, f"{role} {path}: {response.status}"
            _check(page, role, path, problems, screen)
            name = re.sub(r"[^a-z0-9]+", "-", f"{role.split('@')[0]}{path}".lower()).strip("-")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        context.close()
    assert not problems, "\n".join(problems)
