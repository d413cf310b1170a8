import re

from app.accounts.models import User
from app.extensions import db
from tests.support.factories import PASSWORD, last_link, login


def test_register_confirms_the_address_and_hashes_the_password(app, client):
    response = client.post(
        "/register", data={"name": "Ibu Sari", "email": "Sari@Uji.Example", "password": "kopi-susu-99"}
    )
    assert response.status_code == 200 and "Cek email Anda" in response.get_data(as_text=True)
    user = db.session.scalars(db.select(User)).one()
    assert user.email == "sari@uji.example" and user.email_confirmed_at is None
    assert "kopi-susu-99" not in user.password_hash
    assert login(client, "sari@uji.example", "kopi-susu-99").status_code == 422  # not before the link is opened
    assert client.get(last_link(app, "/register/confirm/")).status_code == 302
    assert client.get("/account").status_code == 200


def test_registering_a_taken_address_looks_the_same(app, client, make):
    make.user("ada@uji.example")
    strip = lambda r: re.sub(r"[\w.]+@uji\.example", "", r.get_data(as_text=True))  # noqa: E731
    taken = client.post("/register", data={"name": "Ibu Ada", "email": "ada@uji.example", "password": "kopi-susu-99"})
    new = client.post("/register", data={"name": "Ibu Baru", "email": "baru@uji.example", "password": "kopi-susu-99"})
    assert taken.status_code == new.status_code == 200 and strip(taken) == strip(new)
    told = [m for m in app.extensions["mail_outbox"] if m["To"] == "ada@uji.example"]
    assert len(told) == 1 and "sudah ada" in told[0].get_content()  # the owner is told, not the visitor
    assert login(client, "ada@uji.example", "kopi-susu-99").status_code == 422  # nothing changed for the owner


def test_production_hash_is_slow_scrypt(app):
    from config import settings

    assert settings("production", {})["PASSWORD_HASH_METHOD"] == "scrypt"
    assert settings("development", {"SECRET_KEY": "k"})["PASSWORD_HASH_METHOD"] == "scrypt"


def test_register_errors_keep_what_was_typed(client, make):
    make.user("ada@uji.example")
    page = client.post(
        "/register",
        data={"name": "Ibu Ada", "email": "baru@uji.example", "password": "kopi", "phone": "0812 3456 7890"},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Kata sandi minimal 8 karakter" in html
    assert 'value="Ibu Ada"' in html and 'value="0812 3456 7890"' in html
    weak = client.post("/register", data={"name": "Ibu Baru", "email": "baru@uji.example", "password": "12345678"})
    assert "terlalu mudah ditebak" in weak.get_data(as_text=True)
    assert 'value="baru@uji.example"' in weak.get_data(as_text=True)
    bad_phone = client.post(
        "/register", data={"name": "Ibu Baru", "email": "baru@uji.example", "password": "kopi-susu-99", "phone": "12"}
    )
    assert "Nomor telepon tidak valid" in bad_phone.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_sign_in_and_out(client, make):
    make.user("ibu@uji.example")
    wrong = login(client, "ibu@uji.example", "salah-sekali")
    assert wrong.status_code == 422 and "Email atau kata sandi salah." in wrong.get_data(as_text=True)
    assert login(client, "ibu@uji.example").status_code == 302
    assert client.get("/account").status_code == 200
    client.post("/logout")
    assert client.get("/account").status_code == 302


def test_login_redirect_stays_on_this_site(client, make):
    make.user("ibu@uji.example")
    response = client.post("/login?next=//evil.example/x", data={"email": "ibu@uji.example", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_change_password_ends_other_sessions(app, make):
    make.user("ibu@uji.example")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "ibu@uji.example")
    login(elsewhere, "ibu@uji.example")
    bad = here.post("/account", data={"current_password": "salah", "new_password": "baru-sekali-1"})
    assert "Kata sandi lama salah." in bad.get_data(as_text=True)
    ok = here.post("/account", data={"current_password": PASSWORD, "new_password": "baru-sekali-1"})
    assert ok.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302  # signed out
    assert login(app.test_client(), "ibu@uji.example", "baru-sekali-1").status_code == 302


def test_sign_in_attempts_are_rate_limited(client, make):
    make.user("ibu@uji.example")
    statuses = [login(client, "ibu@uji.example", f"salah-{i}").status_code for i in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    last = login(client, "ibu@uji.example")
    assert last.status_code == 429 and int(last.headers["Retry-After"]) > 0


def test_session_cookie_flags(app, make):
    make.user("ibu@uji.example")
    cookie = login(app.test_client(), "ibu@uji.example").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from config import settings

    production = settings("production", {})
    assert production["SESSION_COOKIE_SECURE"] is True and production["REMEMBER_COOKIE_SECURE"] is True


def test_cli_creates_admin_and_scoped_officer(runner):
    result = runner.invoke(
        args=["users", "create", "boss@uji.example", "--role", "admin", "--password-stdin"], input="sangat-rahasia-1\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "petugas@uji.example", "--role", "officer", "--regency", "64.72", "--password-stdin"],
        input="sangat-rahasia-1\n",
    )
    assert result.exit_code == 0, result.output
    officer = db.session.scalar(db.select(User).where(User.email == "petugas@uji.example"))
    assert (officer.role, officer.scope_province, officer.scope_regency) == ("officer", "64", "64.72")
    bad = runner.invoke(
        args=["users", "create", "x@uji.example", "--role", "officer", "--province", "99", "--password-stdin"],
        input="sangat-rahasia-1\n",
    )
    assert bad.exit_code == 2 and "unknown province" in bad.output


def test_csrf_is_required_outside_tests(migrated, tmp_path):
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated, "MEDIA_ROOT": str(tmp_path), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"email": "a@uji.example", "password": "x"})
        assert response.status_code == 400
        form = client.get("/login").get_data(as_text=True)
        assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', form)
