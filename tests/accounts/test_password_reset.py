"""Resetting a forgotten password: the same answer whether or not the address has an account, a
single-use link that ends after an hour, and that ends too once the password is changed another way."""

import re
from datetime import timedelta

from app.accounts.models import EmailToken
from app.core.types import utcnow
from app.extensions import db
from tests.support.factories import PASSWORD, last_link, login


def test_password_reset(app, make):
    make.user("pembeli@uji.example")
    outbox = app.extensions.setdefault("mail_outbox", [])
    browser = app.test_client()
    login(browser, "pembeli@uji.example")
    stranger = app.test_client()
    known = stranger.post("/password/forgot", data={"email": "pembeli@uji.example"}, follow_redirects=True)
    unknown = stranger.post("/password/forgot", data={"email": "siapa@uji.example"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(known) == strip(unknown)  # the same answer: nobody learns who has an account
    assert len(outbox) == 1 and outbox[0]["To"] == "pembeli@uji.example"
    link = re.search(r"http://localhost(/password/reset/\S+)", outbox[0].get_content()).group(1)
    assert db.session.scalar(db.select(EmailToken.token_hash)) not in link  # only the hash is kept
    assert stranger.post(link, data={"new_password": "password123"}).status_code == 422
    assert stranger.post(link, data={"new_password": "teh-serai-hangat-pagi"}).status_code == 302
    assert stranger.get(link).status_code == 404  # single use
    assert browser.get("/orders").status_code == 302  # every session ended
    assert login(app.test_client(), "pembeli@uji.example", "teh-serai-hangat-pagi").status_code == 302
    # a link expires after an hour
    stranger.post("/password/forgot", data={"email": "pembeli@uji.example"})
    late = re.search(r"http://localhost(/password/reset/\S+)", outbox[-1].get_content()).group(1)
    row = db.session.scalars(db.select(EmailToken).order_by(EmailToken.id.desc())).first()
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert stranger.get(late).status_code == 404


def _reset_link(app, client, email: str) -> str:
    """A reset link as the forgot-password page sends it (its own limit allows three an hour)."""
    from app.accounts.passwords import request_reset

    request_reset(email, lambda token: f"http://localhost/password/reset/{token}")
    return last_link(app, "/password/reset/")


def test_a_reset_link_ends_when_the_password_changes_another_way(app, make, runner):
    """A reset link sent before the owner changed her password (on the account page, through another
    link, or by an admin) no longer sets one: refused with a message saying why."""
    make.user("pembeli@uji.example")
    stranger, owner = app.test_client(), app.test_client()
    said = "sudah diganti setelah tautan ini dikirim"
    # the account page
    old = _reset_link(app, stranger, "pembeli@uji.example")
    login(owner, "pembeli@uji.example")
    assert (
        owner.post("/account", data={"current_password": PASSWORD, "new_password": "kopi-susu-gula-aren"}).status_code
        == 302
    )
    page = stranger.get(old)
    assert page.status_code == 404 and said in page.get_data(as_text=True)
    assert stranger.post(old, data={"new_password": "teh-serai-hangat-pagi"}).status_code == 404
    assert login(app.test_client(), "pembeli@uji.example", "kopi-susu-gula-aren").status_code == 302
    # another reset link, used first
    first, second = (_reset_link(app, stranger, "pembeli@uji.example") for _ in range(2))
    assert stranger.post(second, data={"new_password": "gula-aren-teh-tarik"}).status_code == 302
    assert stranger.get(first).status_code == 404
    # an admin sets the password (flask users create on the account)
    old = _reset_link(app, stranger, "pembeli@uji.example")
    result = runner.invoke(
        args=["users", "create", "pembeli@uji.example", "--role", "admin", "--password-stdin"],
        input="sambal-terasi-pedas-99\n",
    )
    assert result.exit_code == 0, result.output
    page = stranger.get(old)
    assert page.status_code == 404 and said in page.get_data(as_text=True)
    # a link sent after the change works
    fresh = _reset_link(app, stranger, "pembeli@uji.example")
    assert stranger.get(fresh).status_code == 200
