"""Sessions live on the server: signing out, signing out everywhere and changing the password end them,
so a copied cookie opens nothing afterwards; the account page lists the signed-in devices."""

from app.accounts.models import UserSession
from app.extensions import db
from tests.support.factories import PASSWORD, login, token


def _cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def test_sign_out_ends_the_session_on_the_server(app, make):
    make.user("pembeli@uji.example")
    browser = app.test_client()
    browser.post("/login", data={"email": "pembeli@uji.example", "password": PASSWORD, "remember": "y"})
    stolen = _cookies(browser)
    assert "remember_token" in stolen and "session" in stolen
    browser.post("/logout")
    for name in ("session", "remember_token"):
        thief = app.test_client()
        thief.set_cookie(name, stolen[name])
        assert thief.get("/orders").status_code == 302, name  # to the sign-in page
    assert db.session.scalar(db.select(UserSession.revoked_at)) is not None


def test_sign_out_everywhere_and_the_device_list(app, make):
    make.user("pembeli@uji.example")
    phone, laptop = app.test_client(), app.test_client()
    phone.post(
        "/login",
        data={"email": "pembeli@uji.example", "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36"},
    )
    laptop.post(
        "/login",
        data={"email": "pembeli@uji.example", "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/121.0"},
    )
    api = token(app.test_client(), "pembeli@uji.example")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Chrome · Android" in page and "Firefox · Windows" in page and "perangkat ini" in page
    laptop.post("/account/sessions/end-all")
    assert phone.get("/orders").status_code == 302
    assert laptop.get("/orders").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=api).status_code == 401


def test_changing_the_password_ends_the_other_sessions(app, make):
    make.user("pembeli@uji.example")
    here, there = app.test_client(), app.test_client()
    login(here, "pembeli@uji.example")
    login(there, "pembeli@uji.example")
    here.post("/account", data={"current_password": PASSWORD, "new_password": "kopi-susu-gula-aren"})
    assert here.get("/orders").status_code == 200
    assert there.get("/orders").status_code == 302
