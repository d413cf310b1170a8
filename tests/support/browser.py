"""Real Chromium through Playwright, and a live server of the test's app for it to open."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support import ARTIFACTS  # noqa: F401 - where browser tests leave their screenshots

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # links mailed during the test lead here
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is required in CI: {CHROMIUM} not found")
        pytest.skip("chromium not installed (the README's test command installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pick_place(page, province: str = "64", regency: str = "64.72", district: str = "Samarinda Ulu", postal=None):
    """The address picker, a step per choice as without script: province, Lanjut, kabupaten/kota, Lanjut,
    kecamatan, Lanjut, then the postal code (chosen from the list, or typed when the kecamatan has many)."""
    for name, value in (("province", province), ("regency", regency), ("district", district)):
        page.select_option(f"select[name={name}]", value)
        with page.expect_navigation():
            page.click("button[name=action][value=region]")
    if postal is not None:
        if page.locator("select[name=postal_code]").count():
            page.select_option("select[name=postal_code]", postal)
        else:
            page.fill("input[name=postal_code]", postal)


def fill_guest_checkout(page, ship_phone: str = "081299990000") -> None:
    """What a guest types on the checkout page: contact and an address in Samarinda."""
    for name, value in (
        ("email", "tamu@uji.example"),
        ("phone", "081299990000"),
        ("name", "Budi Santoso"),
        ("ship_phone", ship_phone),
        ("street", "Jl. Pahlawan No. 5"),
    ):
        page.fill(f"input[name={name}]", value)
    pick_place(page, postal="75123")
