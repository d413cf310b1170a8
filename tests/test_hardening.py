"""The findings of the attacker's probe (issue 9), each kept fixed: no 5xx for any input, sessions
that end, permits that stay honest, private documents private. Every test runs on SQLite and on
PostgreSQL (where int4 ids and NUL bytes used to break)."""
from __future__ import annotations

import base64
import io
import json
import re
import threading
from datetime import timedelta
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from app import create_app
from app.accounts.models import EmailToken, UserSession
from app.catalog.models import Permit, Product
from app.core.types import utcnow
from app.extensions import db
from app.officers.models import Decision
from app.orders.models import Checkout
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import PASSWORD, document, jpeg, last_link, login, token

BIG = [2**31, 2**63, 10**20]


# ------------------------------------------------------------------ nothing answers 5xx

@pytest.mark.parametrize("n", BIG)
def test_ids_out_of_range_are_404_in_paths(client, make, n):
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for path in (f"/api/v1/products/{n}", f"/api/v1/orders/{n}", f"/api/v1/invoices/{n}", f"/api/v1/quotes/{n}"):
        assert client.get(path, headers=auth).status_code == 404, path
    assert client.patch(f"/api/v1/products/{n}", headers=auth, json={"stock": 1}).status_code == 404
    assert client.post(f"/api/v1/quotes/{n}/offers/{n}/accept", headers=auth).status_code == 404
    login(client, "pembeli@uji.example")
    for path in (f"/p/{n}", f"/quotes/{n}", f"/invoices/{n}", f"/invoices/{n}.pdf", f"/products/{n}/edit"):
        assert client.get(path).status_code == 404, path


def test_ids_out_of_range_in_bodies_are_422(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    answer = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(2**31, 1)]))
    assert answer.status_code == 422 and "items.0.product_id" in answer.json["errors"]
    answer = client.post("/api/v1/quotes", headers=auth, json={
        "product_id": 2**63, "description": "Amplang", "quantity": 10, "needed_by": "2030-01-01",
        "delivery_regency": "64.72"})
    assert answer.status_code == 422 and "product_id" in answer.json["errors"]
    # a form: an id that cannot exist is a product that does not exist
    assert client.post("/cart/add", data={"product_id": str(2**40), "quantity": "1"}).status_code == 404


def test_offsets_and_cursors_out_of_range(client, make):
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    assert client.get("/groups?offset=100000000000000000000").status_code == 200
    assert client.get("/groups?offset=1e20").status_code == 200
    login(client, "pembeli@uji.example")
    assert client.get("/orders?offset=100000000000000000000").status_code == 200
    huge = base64.urlsafe_b64encode(b'{"o": 1e400}').decode().rstrip("=")
    for path in ("/api/v1/products", "/api/v1/groups", "/api/v1/orders"):
        answer = client.get(f"{path}?cursor={huge}", headers=auth)
        assert answer.status_code == 422, path
        assert answer.mimetype == "application/problem+json" and "cursor" in answer.json["errors"]
    assert client.get(f"/search?q=amplang&cursor={huge}").status_code in (200, 422)
    assert client.get(f"/search?q=amplang&cursor={huge}").status_code < 500


def test_control_characters_are_refused_everywhere(client, make):
    group = make.group(name="UPPKS Mawar")
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for path in ("/api/v1/groups?q=%00", "/search?category=%00", "/g/%00", "/checkout/%00", "/officer/groups/%00",
                 "/search?q=amp%01lang", f"/g/{group.slug}?x=%0d%0a"):
        answer = client.get(path, headers=auth)
        assert answer.status_code == 422, path
    problem = client.get("/api/v1/groups?q=%00")
    assert problem.mimetype == "application/problem+json" and "q" in problem.json["errors"]
    # bodies: JSON and forms
    assert client.post("/api/v1/auth/token", json={"email": "pembeli@uji.example\u0000", "password": "x"}).status_code == 422
    body = checkout_body([(1, 1)])
    body["shipping_address"]["street"] = "Jl. Mawar\u0000 5"
    assert client.post("/api/v1/checkouts", headers=auth, json=body).status_code == 422
    assert client.post("/login", data={"email": "pembeli@uji.example\x00", "password": PASSWORD}).status_code == 422
    # a line break in a text area is text, not an attack
    login(client, "pembeli@uji.example")
    assert client.post("/cart/update", data={"note": "baris satu\r\nbaris dua\tlagi"}).status_code == 302


def test_a_cart_with_garbage_stays_usable(client, make):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": 2})
    client.post("/cart/update", data={"qty-99999999999999999999": "1", f"qty-{amplang.id}": "3", "qty-x": "1",
                                      "qty-²": "1"})
    with client.session_transaction() as session:
        session["cart"]["99999999999999999999"] = 1  # what an old bug could have stored
        session["cart"]["7"] = "lots"
    cart = client.get("/cart")
    assert cart.status_code == 200 and "Amplang Pipih" in cart.get_data(as_text=True)
    assert client.get("/checkout").status_code == 200


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example/", "/orders\r\nSet-Cookie: x=1", "javascript:alert(1)",
                                    " /orders"])
def test_no_redirect_leaves_the_site(client, make, target):
    from app.accounts.views import _safe_next

    make.user("pembeli@uji.example")
    with client.application.test_request_context():
        assert _safe_next(unquote(target)) == "/"  # as the view receives it, decoded
        assert _safe_next("/orders?x=1") == "/orders?x=1"
    answer = client.post("/login?next=" + target.replace("\t", "%09").replace("\r", "%0d").replace("\n", "%0a")
                         .replace(" ", "%20"),
                         data={"email": "pembeli@uji.example", "password": PASSWORD})
    assert answer.status_code in (302, 422)
    location = answer.headers.get("Location", "")
    # wherever it goes, it stays on this site (a browser drops tab and CR/LF: they are refused, not kept)
    assert urlsplit(location).netloc in ("", "localhost") and not location.startswith("//")
    assert location.isprintable() and "\\" not in location


def test_eight_concurrent_checkouts_with_one_key_get_one_answer(app, make, migrated, tmp_path, backend):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    headers = dict(token(app.test_client(), "pembeli@uji.example"), **{"Idempotency-Key": "sekali-saja"})
    body = checkout_body([(amplang.id, 2)])
    db.session.commit()
    worker_app = create_app({"SQLALCHEMY_DATABASE_URI": migrated, "MEDIA_ROOT": str(tmp_path),
                             "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 0}
                             if backend == "postgresql" else {}})
    start = threading.Barrier(8)
    answers: list = []
    lock = threading.Lock()

    def post() -> None:
        with worker_app.app_context():
            client = worker_app.test_client()
            start.wait(timeout=30)
            response = client.post("/api/v1/checkouts", headers=headers, json=body)
            with lock:
                answers.append((response.status_code, response.get_json()))
            db.session.remove()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    with worker_app.app_context():
        db.engine.dispose()
    assert [status for status, _ in answers] == [201] * 8
    assert all(answer == answers[0][1] for _, answer in answers)
    assert db.session.scalar(db.select(db.func.count(Checkout.id))) == 1


def test_the_error_page_survives_a_failed_transaction(migrated, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated, "MEDIA_ROOT": str(tmp_path), "PROPAGATE_EXCEPTIONS": False})

    @app.get("/_boom")
    def boom():
        from sqlalchemy import text
        db.session.execute(text("SELECT no_such_column FROM users"))  # the transaction is now failed

    with app.app_context():
        answer = app.test_client().get("/_boom")
        assert answer.status_code == 500
        assert "Terjadi kesalahan di server" in answer.get_data(as_text=True)  # our page, not Flask's bare one
        db.session.remove()
        db.engine.dispose()


# ------------------------------------------------------------------ sessions that end

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
    phone.post("/login", data={"email": "pembeli@uji.example", "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36"})
    laptop.post("/login", data={"email": "pembeli@uji.example", "password": PASSWORD},
                headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/121.0"})
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


def test_the_sign_in_limit_keys_on_the_address_and_lets_the_owner_in(app, make):
    app.config["RATELIMIT_ENABLED"] = True
    make.user("hotel@uji.example")
    owner = app.test_client()
    login(owner, "hotel@uji.example")  # this browser is the owner's device now
    owner.post("/logout")
    attacker = app.test_client()
    for i, variant in enumerate([" hotel@uji.example", "HOTEL@uji.example ", "hotel@uji.example"] * 4):
        answer = attacker.post("/login", data={"email": variant, "password": "salah-tebak"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})  # from many places
    assert answer.status_code == 429  # one bucket for every spelling of the address
    assert attacker.post("/login", data={"email": "hotel@uji.example", "password": PASSWORD},
                         environ_base={"REMOTE_ADDR": "10.0.1.1"}).status_code == 429
    # the owner, from the browser that signed in before, is not locked out
    assert login(owner, "hotel@uji.example").status_code == 302


def test_the_per_address_limit_holds_on_every_way_in(app, make):
    """Ten wrong passwords for an address, counted together however they come (the sign-in page, the API's
    token, the account page's current password), from any IP: then every way in refuses that address,
    its right password too, with a message and Retry-After; the owner's own browser still gets in."""
    app.config["RATELIMIT_ENABLED"] = True
    make.user("hotel@uji.example")
    owner = app.test_client()
    login(owner, "hotel@uji.example")  # the owner's device
    owner.post("/logout")
    stolen = app.test_client()
    login(stolen, "hotel@uji.example")
    stolen._cookies = {k: v for k, v in stolen._cookies.items() if k[2] != "pasar_device"}  # a session, no device
    attacker = app.test_client()
    for i in range(4):
        assert attacker.post("/login", data={"email": "hotel@uji.example", "password": f"tebak-{i}"},
                             environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code == 422
    for i in range(4):
        assert attacker.post("/api/v1/auth/token", json={"email": "HOTEL@uji.example ", "password": f"coba-{i}"},
                             environ_base={"REMOTE_ADDR": f"10.0.1.{i}"}).status_code == 401
    for i in range(2):
        assert stolen.post("/account", data={"current_password": f"kira-{i}", "new_password": "kopi-susu-gula-aren"},
                           environ_base={"REMOTE_ADDR": f"10.0.2.{i}"}).status_code == 422
    # ten wrong ones: the right password is refused now, on every way in, from three more addresses
    for ip in ("10.0.3.1", "10.0.3.2", "10.0.3.3"):
        answer = attacker.post("/api/v1/auth/token", json={"email": "hotel@uji.example", "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": ip})
        assert answer.status_code == 429 and answer.mimetype == "application/problem+json"
        assert "Terlalu banyak kata sandi salah" in answer.json["detail"] and int(answer.headers["Retry-After"]) > 0
    page = attacker.post("/login", data={"email": "hotel@uji.example", "password": PASSWORD},
                         environ_base={"REMOTE_ADDR": "10.0.4.1"})
    assert page.status_code == 429 and "Terlalu banyak kata sandi salah" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 0
    again = stolen.post("/account", data={"current_password": PASSWORD, "new_password": "kopi-susu-gula-aren"})
    assert again.status_code == 429 and "Terlalu banyak kata sandi salah" in again.get_data(as_text=True)
    # the owner, from the browser that signed in before, is not locked out
    assert login(owner, "hotel@uji.example").status_code == 302
    assert owner.post("/account", data={"current_password": PASSWORD,
                                        "new_password": "kopi-susu-gula-aren"}).status_code == 302


def test_common_passwords_are_refused_with_the_reason(client):
    for weak in ("password123", "qwerty123", "iloveyou1", "bismillah"):
        answer = client.post("/api/v1/accounts", json={"email": f"{weak}@uji.example", "password": weak, "name": "Uji"})
        assert answer.status_code == 422, weak
        assert "paling sering dipakai" in " ".join(answer.json["errors"]["password"])
    assert client.post("/api/v1/accounts", json={"email": "ok@uji.example", "password": "kopi-susu-gula-aren",
                                                 "name": "Uji"}).status_code == 201


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
    from app.accounts.services import request_reset

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
    assert owner.post("/account", data={"current_password": PASSWORD,
                                        "new_password": "kopi-susu-gula-aren"}).status_code == 302
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
    result = runner.invoke(args=["users", "create", "pembeli@uji.example", "--role", "admin", "--password-stdin"],
                           input="sambal-terasi-pedas-99\n")
    assert result.exit_code == 0, result.output
    page = stranger.get(old)
    assert page.status_code == 404 and said in page.get_data(as_text=True)
    # a link sent after the change works
    fresh = _reset_link(app, stranger, "pembeli@uji.example")
    assert stranger.get(fresh).status_code == 200


# ------------------------------------------------------------------ permits stay honest

def _verified_permit(make, expires_on="2027-06-30", issued_on="2022-06-30"):
    group = make.group()
    product = make.product(group, permits=[{"type": "pirt", "number": "206647201002925", "issued_on": issued_on,
                                            "expires_on": expires_on}])
    from app.officers.services import decide_permit
    decide_permit(make.admin(), product.permits[0].id, "verified")
    db.session.expire_all()
    assert product.permits[0].status == "verified" and product.permit_valid_until is not None
    return group, product


def test_moving_a_verified_permits_expiry_sends_it_back(client, make):
    group, product = _verified_permit(make)
    auth = token(client, make.chair_of(group).email)
    answer = client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"permits": [
        {"type": "pirt", "number": "206647201002925", "expires_on": "2099-12-31"}]})
    assert answer.status_code == 200, answer.json
    db.session.expire_all()
    permit = product.permits[0]
    assert permit.status == "submitted" and permit.expires_on.isoformat() == "2099-12-31"
    assert permit.issued_on.isoformat() == "2022-06-30"  # left out of the PATCH: kept
    assert product.permit_valid_until is None  # not counted as a valid permit any more
    log = db.session.scalars(db.select(Decision).where(Decision.kind == "permit", Decision.object_id == permit.id)
                             .order_by(Decision.id)).all()
    assert [d.decision for d in log] == ["verified", "resubmitted"]
    assert log[-1].actor_id == make.chair_of(group).id
    assert answer.json["permits"][0]["status"] == "submitted"


def test_changing_a_verified_permits_number_or_scan_sends_it_back(client, make):
    group, product = _verified_permit(make)
    auth = token(client, make.chair_of(group).email)
    client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"permits": [
        {"type": "pirt", "number": "2066472010029-26", "issued_on": "2022-06-30", "expires_on": "2027-06-30"}]})
    db.session.expire_all()
    assert [(p.number, p.status) for p in product.permits] == [("206647201002926", "submitted")]
    from app.catalog import services as catalog
    from app.officers.services import decide_permit
    decide_permit(make.admin(), product.permits[0].id, "verified")
    catalog.add_permit_document(make.chair_of(group), product.id, product.permits[0].id, jpeg())
    db.session.expire_all()
    assert product.permits[0].status == "submitted" and product.permit_valid_until is None
    # nothing changed: the decision stands
    decide_permit(make.admin(), product.permits[0].id, "verified")
    client.patch(f"/api/v1/products/{product.id}", headers=auth, json={"name": "Amplang Baru"})
    db.session.expire_all()
    assert db.session.scalar(db.select(Permit.status)) == "verified"


# ------------------------------------------------------------------ private documents

def _proof_checkout(client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    checkout = db.session.get(Checkout, placed.json["id"])
    answer = client.post(f"/checkout/{checkout.access_key}/proof", data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    db.session.expire_all()
    return checkout, amplang


def test_transfer_proofs_are_private(app, client, make):
    checkout, amplang = _proof_checkout(client, make)
    from app.payments.models import Payment
    key = db.session.scalar(db.select(Payment.proof_key))
    assert key
    assert app.test_client().get(f"/media/{key}").status_code == 404
    own = app.test_client().get(f"/checkout/{checkout.access_key}/proof")
    assert document(own)[:2] == (200, "image/webp") and own.headers["Cache-Control"] == "private, no-store"
    admin = app.test_client()
    login(admin, make.admin().email)
    assert document(admin.get(f"/transfers/{checkout.id}/proof"))[0] == 200
    other = app.test_client()
    make.user("orang.lain@uji.example")
    login(other, "orang.lain@uji.example")
    assert other.get(f"/transfers/{checkout.id}/proof").status_code == 404


def test_pages_with_personal_data_are_not_stored(app, client, make):
    checkout, _amplang = _proof_checkout(client, make)
    assert client.get(f"/checkout/{checkout.access_key}").headers["Cache-Control"] == "private, no-store"
    assert client.get("/cart").headers["Cache-Control"] == "private, no-store"
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    for path in ("/orders", "/account", "/"):
        assert buyer.get(path).headers.get("Cache-Control") == "private, no-store", path
    assert "no-store" not in (app.test_client().get("/").headers.get("Cache-Control") or "")
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_production_sends_hsts(migrated, tmp_path):
    prod = create_app({"PASAR_ENV": "production", "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": migrated,
                       "MEDIA_ROOT": str(tmp_path), "PUBLIC_URL": "https://pasar.example"})
    with prod.app_context():
        answer = prod.test_client().get("/", base_url="https://pasar.example")
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        db.engine.dispose()


def test_the_checkout_link_ends_with_the_checkout(app, client, make):
    checkout, _amplang = _proof_checkout(client, make)
    link = f"/checkout/{checkout.access_key}"
    assert app.test_client().get(link).status_code == 200
    checkout.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(link).status_code == 404
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    assert buyer.get(link).status_code == 200  # its buyer, signed in, still sees it


def _png(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_uploads_have_bounded_cost(app, client, make):
    _s, _b, amplang, _k = two_groups(make)
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    key = db.session.get(Checkout, placed.json["id"]).access_key
    big = _png((5000, 5000))  # 25 MP of one colour: a few KB that would decode to ~100 MB
    assert len(big) < 200_000
    answer = client.post(f"/checkout/{key}/proof", data={"file": (io.BytesIO(big), "bukti.png")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "terlalu" in answer.get_data(as_text=True).lower()
    from app.payments.models import Payment
    assert db.session.scalar(db.select(Payment.proof_key)) is None
    # guests upload without an account: counted per address
    app.config["RATELIMIT_ENABLED"] = True
    guest = app.test_client()
    statuses = [guest.post(f"/checkout/{key}/proof", data={"file": (io.BytesIO(b"x"), "x.jpg")},
                           content_type="multipart/form-data", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                for _ in range(12)]
    assert statuses[-1] == 429


def test_a_product_photo_png_is_capped_below_the_jpeg_cap(app, make):
    from app.catalog import services as catalog
    from app.core.errors import ValidationFailed
    group = make.group()
    product = make.product(group)
    with pytest.raises(ValidationFailed):
        catalog.add_photo(make.chair_of(group), product.id, _png((4500, 4500)))  # 20 MP PNG: decoded in full
    assert db.session.scalar(db.select(db.func.count()).select_from(Product)) == 1


# ------------------------------------------------------------------ crafted input: a 4xx with a message, never a 500

def _cursor(key) -> str:
    raw = json.dumps({"s": "newest", "d": "n", "k": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page_says(answer, status: int, words: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == "text/html" and words in answer.get_data(as_text=True)


def _problem_says(answer, status: int, words: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == "application/problem+json" and words in json.dumps(answer.json, ensure_ascii=False)


def crafted_cursor(app, client, make):
    """A listing cursor whose time has no offset, or falls outside the years 1..9999 in UTC."""
    group = make.group()
    make.product(group)
    for key in (["2026-01-01T00:00:00", 5], ["0001-01-01T00:00:00+14:00", 5], ["9999-12-31T23:59:59-14:00", 5],
                ["2026-01-01", 5]):
        cursor = _cursor(key)
        _page_says(client.get(f"/search?sort=newest&cursor={cursor}"), 422, "Kursor tidak valid")
        _page_says(client.get(f"/g/{group.slug}?cursor={cursor}"), 422, "Kursor tidak valid")
        answer = client.get(f"/api/v1/products?cursor={cursor}")
        _problem_says(answer, 422, "Kursor tidak valid")
        assert "cursor" in answer.json["errors"]


def deeply_nested_json(app, client, make):
    """JSON nested far deeper than any body of the API, on any JSON POST (pages too)."""
    make.user("pembeli@uji.example")
    auth = token(client, "pembeli@uji.example")
    for depth in (100_000, 900, 40):
        deep = "[" * depth + "]" * depth
        _problem_says(client.post("/api/v1/auth/token", data=deep, content_type="application/json"), 400,
                      "bersarang terlalu dalam")
        _problem_says(client.post("/api/v1/checkouts", headers=auth, content_type="application/json",
                                  data='{"items": ' + deep + "}"), 400, "bersarang terlalu dalam")
    _page_says(client.post("/login", data="[" * 5000 + "]" * 5000, content_type="application/json"), 400,
               "bersarang terlalu dalam")
    assert client.post("/api/v1/auth/token", json={"email": "pembeli@uji.example", "password": "x"}).status_code == 401


def non_ascii_signatures(app, client, make):
    """A webhook signature with characters outside ASCII is a bad signature like any other."""
    app.config.update(STRIPE_WEBHOOK_SECRET="whsec_" + "a" * 24, STRIPE_SECRET_KEY="sk_test_" + "b" * 24)
    _problem_says(client.post("/api/v1/payments/stripe/webhook", data=b"{}", content_type="application/json",
                              headers={"Stripe-Signature": "t=1,v1=\u00e9\u00e9\u00e9"}), 400, "Stripe-Signature")
    from tests.fakes.midtrans_server import FakeMidtrans

    with FakeMidtrans("SB-Mid-server-uji") as fake:
        app.config.update(MIDTRANS_SERVER_KEY=fake.server_key, MIDTRANS_API_URL=fake.url)
        answer = client.post("/api/v1/payments/midtrans/notification", json={
            "order_id": "CK-1", "status_code": "200", "gross_amount": "1000.00", "signature_key": "r\u00e9sum\u00e9"})
        _problem_says(answer, 400, "signature_key")
        assert fake.requests == []  # refused before Midtrans was asked anything


def unparseable_urls(app, client, make):
    """A Referer or ?next= that no URL parser reads ("https://[::1") never leads anywhere but here."""
    group = make.group()
    product = make.product(group)
    make.user("pembeli@uji.example")
    # no Sec-Fetch-Site, no Origin: the Referer cannot be read, so the form's origin is unknown: refused
    _page_says(client.post("/cart/add", data={"product_id": product.id, "quantity": "1"},
                           headers={"Referer": "https://[::1"}), 403, "tidak berhak")
    # from this site, with a bad quantity: back to a page of this site, not to the Referer
    answer = client.post("/cart/add", data={"product_id": product.id, "quantity": "0"},
                         headers={"Referer": "https://[::1", "Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    answer = client.post("/login?next=http://[::1", data={"email": "pembeli@uji.example", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    # a Referer of this site still brings the buyer back where she was
    answer = client.post("/cart/add", data={"product_id": product.id, "quantity": "0"},
                         headers={"Referer": f"http://localhost/p/{product.id}/{product.slug}?x=1",
                                  "Sec-Fetch-Site": "same-origin"})
    assert answer.headers["Location"] == f"/p/{product.id}/{product.slug}?x=1"
    answer = client.post("/cart/add", data={"product_id": product.id, "quantity": "0"},
                         headers={"Referer": "https://evil.example/p/1", "Sec-Fetch-Site": "same-origin"})
    assert answer.headers["Location"] == "/"


def url_for_arguments_in_the_query(app, client, make):
    """url_for's own arguments (_method, _scheme, _external, _anchor, _host) and `endpoint` in the query
    string of a page that builds links from it: ignored, never a 500 nor a link elsewhere."""
    group = make.group()
    for i in range(25):  # more than a page: the pager builds its links from the query string
        make.product(group, name=f"Amplang Rasa {i}")
    for extra in ("_method=POST", "_scheme=javascript&_external=1", "_external=1", "_anchor=x%22%3E", "_host=evil.example",
                  "endpoint=catalog.home"):
        answer = client.get(f"/search?q=amplang&{extra}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, extra
        links = re.findall(r'href="([^"]*cursor=[^"]*)"', html)
        assert links and all(link.startswith("/search?") and "_" not in link.split("?")[1].split("=")[0]
                             and "javascript" not in link and "evil" not in link and "endpoint" not in link
                             for link in links), (extra, links)
        answer = client.get(f"/c/amplang?{extra}")
        assert answer.status_code == 302, extra
        assert answer.headers["Location"].startswith("/search?") and "category=amplang" in answer.headers["Location"]
        assert "_" not in answer.headers["Location"] and "endpoint" not in answer.headers["Location"]


def months_out_of_range(app, client, make):
    """A month of the sales book (page and API) outside the years it can show."""
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    auth = token(client, "ketua@uji.example")
    login(client, "ketua@uji.example")
    for month in ("9999-12", "0001-01", "1899-12", "99999999999999999999-1", "2026-13"):
        _page_says(client.get(f"/groups/{group.slug}/sales?month={month}"), 422, "Bulan")
        answer = client.get(f"/api/v1/groups/{group.slug}/offline-sales?month={month}", headers=auth)
        _problem_says(answer, 422, "Bulan")
        assert "month" in answer.json["errors"]
    assert client.get(f"/groups/{group.slug}/sales?month=2999-12").status_code == 200


CRAFTED = [crafted_cursor, deeply_nested_json, non_ascii_signatures, unparseable_urls, url_for_arguments_in_the_query,
           months_out_of_range]


@pytest.mark.parametrize("case", CRAFTED, ids=[c.__name__ for c in CRAFTED])
def test_crafted_input_is_answered_4xx_with_a_message(app, client, make, case):
    case(app, client, make)  # and the app fixture fails the test if anything answered 5xx
