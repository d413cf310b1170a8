"""Signing up and in with a phone number and a one-time code, the API's way in by code, a number changed
after proving it, an e-mail added to a phone account, and the code going by WhatsApp's Cloud API."""

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import PhoneCode, User
from app.extensions import db
from tests.support.factories import last_code, last_link, login, phone_sign_in

SITI = "+6281234567001"


def _user(phone: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == phone, User.phone_verified_at.is_not(None)))


def test_a_woman_without_email_signs_up_by_phone_and_signs_in_again(app, client):
    page = client.get("/login")
    assert b"Masuk dengan nomor HP" in page.data
    answer = client.post("/register/phone", data={"name": "Ibu Siti", "phone": "0812-3456-7001"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login/phone/code")
    code_page = client.get("/login/phone/code")
    assert b'autocomplete="one-time-code"' in code_page.data and b'inputmode="numeric"' in code_page.data
    assert b"0812-3456-7001" in code_page.data
    answer = client.post("/login/phone/code", data={"code": last_code(app, SITI)})
    assert answer.status_code == 302
    siti = _user(SITI)
    assert siti is not None and siti.email is None and siti.name == "Ibu Siti" and not siti.has_password
    account = client.get("/account")
    assert account.status_code == 200 and b"Ibu Siti" in account.data and b"belum punya email" in account.data
    client.post("/logout")
    # the code is kept only as a keyed hash
    assert all(
        len(row.code_hash) == 64 and last_code(app, SITI) not in row.code_hash
        for row in db.session.scalars(select(PhoneCode))
    )
    again = app.test_client()
    assert phone_sign_in(app, again, "6281234567001").status_code == 302
    assert again.get("/account").status_code == 200
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_an_unknown_number_is_answered_like_a_known_one(app, client, make):
    phone_sign_in(app, app.test_client(), "081234567001", name="Ibu Siti")  # a known number
    known = client.post("/login/phone", data={"phone": "081234567001"})
    unknown = client.post("/login/phone", data={"phone": "081234567002"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    other = app.test_client()
    other.post("/login/phone", data={"phone": "081234567001"})
    pages = [c.get("/login/phone/code").get_data(as_text=True) for c in (client, other)]
    assert pages[0].count("0812-3456-7002") == pages[1].count("0812-3456-7001") == 1
    api_known = client.post("/api/v1/auth/otp", json={"phone": "081234567001"})
    api_unknown = client.post("/api/v1/auth/otp", json={"phone": "+62 812-3456-7002"})
    assert api_known.status_code == api_unknown.status_code == 202
    assert set(api_known.json) == set(api_unknown.json) == {"phone", "expires_in"}
    # with the code, the unknown number is asked for a name, and gets its account
    answer = client.post("/login/phone/code", data={"code": last_code(app, "+6281234567002")})
    assert answer.headers["Location"].endswith("/register/phone/name")
    client.post("/register/phone/name", data={"name": "Ibu Rina"})
    assert _user("+6281234567002").name == "Ibu Rina"


def test_a_code_works_once_and_only_for_five_minutes(app, client):
    phone_sign_in(app, app.test_client(), "081234567001", name="Ibu Siti")
    client.post("/login/phone", data={"phone": "081234567001"})
    code = last_code(app, SITI)
    assert client.post("/login/phone/code", data={"code": code}).status_code == 302
    other = app.test_client()
    other.post("/login/phone", data={"phone": "081234567001"})
    assert other.post("/api/v1/auth/token", json={"phone": "081234567001", "code": code}).status_code == 401  # used
    fresh = last_code(app, SITI)
    row = db.session.scalar(select(PhoneCode).order_by(PhoneCode.id.desc()))
    row.expires_at = row.created_at + timedelta(minutes=5) - timedelta(days=1)
    db.session.commit()
    answer = other.post("/login/phone/code", data={"code": fresh})
    assert answer.status_code == 422 and "tidak berlaku" in answer.get_data(as_text=True)
    assert other.get("/account").status_code == 302  # not signed in


def test_five_wrong_codes_and_a_new_one_is_needed(app, client):
    phone_sign_in(app, app.test_client(), "081234567001", name="Ibu Siti")
    client.post("/login/phone", data={"phone": "081234567001"})
    right = last_code(app, SITI)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        answer = client.post("/login/phone/code", data={"code": wrong})
        assert answer.status_code == 422 and f"sisa {left} kali" in answer.get_data(as_text=True)
    answer = client.post("/login/phone/code", data={"code": wrong})
    assert "Minta kode baru" in answer.get_data(as_text=True)
    assert client.post("/login/phone/code", data={"code": right}).status_code == 422  # the code is dead
    client.post("/login/phone/resend")
    assert client.post("/login/phone/code", data={"code": last_code(app, SITI)}).status_code == 302


def test_sending_codes_is_limited_per_number_and_per_address(app):
    app.config.update(
        RATELIMIT_ENABLED=True,
        PHONE_CODE_NUMBER_LIMIT="3 per 15 minutes;10 per day",
        PHONE_CODE_ADDRESS_LIMIT="10 per hour",
    )
    for i in range(3):  # three codes to one number, from three places
        answer = app.test_client().post(
            "/api/v1/auth/otp", json={"phone": "081234567001"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}
        )
        assert answer.status_code == 202
    held = app.test_client().post(
        "/login/phone", data={"phone": "0812 3456 7001"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert held.status_code == 429 and "terlalu banyak kode" in held.get_data(as_text=True).lower()
    assert app.test_client().post("/api/v1/auth/otp", json={"phone": "+6281234567001"}).headers["Retry-After"]
    # one address asking for many numbers
    one_place = app.test_client()
    statuses = [
        one_place.post(
            "/api/v1/auth/otp", json={"phone": f"08123456{700 + i}"}, environ_base={"REMOTE_ADDR": "10.1.1.1"}
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [202] * 10 and statuses[10:] == [429, 429]


def test_the_api_gives_a_token_for_a_number_and_its_code(app, client):
    phone_sign_in(app, app.test_client(), "081234567001", name="Ibu Siti")
    assert client.post("/api/v1/auth/otp", json={"phone": "0812 3456 7001"}).status_code == 202
    answer = client.post("/api/v1/auth/token", json={"phone": "081234567001", "code": last_code(app, SITI)})
    assert answer.status_code == 201 and answer.json["token_type"] == "Bearer"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {answer.json['token']}"})
    assert me.json["email"] is None and me.json["phone"] == SITI and me.json["phone_verified"] is True
    # a number without an account, with its right code, is refused as a wrong code is
    client.post("/api/v1/auth/otp", json={"phone": "081234567002"})
    stranger = client.post(
        "/api/v1/auth/token", json={"phone": "081234567002", "code": last_code(app, "+6281234567002")}
    )
    assert stranger.status_code == 401
    assert client.post("/api/v1/auth/token", json={"phone": "081234567001", "password": "x"}).status_code == 422
    assert client.post("/api/v1/auth/otp", json={"phone": "021 555 1234"}).status_code == 422  # not a mobile number


def test_a_number_changes_only_after_a_code_sent_to_the_new_one(app, client, make):
    make.user("rina@uji.example", name="Ibu Rina")
    login(client, "rina@uji.example")
    answer = client.post("/account/phone", data={"phone": "081234567001"})
    assert answer.headers["Location"].endswith("/account/phone/code")
    rina = db.session.scalar(select(User).where(User.email == "rina@uji.example"))
    assert rina.phone_verified_at is None  # not until the code is entered
    assert (
        client.post(
            "/account/phone/code", data={"code": "000000" if last_code(app, SITI) != "000000" else "111111"}
        ).status_code
        == 422
    )
    assert client.post("/account/phone/code", data={"code": last_code(app, SITI)}).status_code == 302
    db.session.refresh(rina)
    assert rina.phone == SITI and rina.phone_verified_at is not None
    # and now she signs in by it, into the same account
    fresh = app.test_client()
    phone_sign_in(app, fresh, "081234567001")
    assert b"rina@uji.example" in fresh.get("/account").data
    # a new number: the old one no longer signs in
    client.post("/account/phone", data={"phone": "081234567003"})
    client.post("/account/phone/code", data={"code": last_code(app, "+6281234567003")})
    db.session.refresh(rina)
    assert rina.phone == "+6281234567003"
    assert phone_sign_in(app, app.test_client(), "081234567001").headers["Location"].endswith("/register/phone/name")


def test_a_phone_account_adds_an_email_by_its_link(app, client):
    phone_sign_in(app, client, "081234567001", name="Ibu Siti")
    client.post("/account/email", data={"email": "siti@uji.example"})
    assert _user(SITI).email is None
    client.get(last_link(app, "/account/email/confirm/"))
    siti = _user(SITI)
    assert siti.email == "siti@uji.example" and siti.email_proven_at is not None
    assert b"siti@uji.example" in client.get("/account").data


def test_the_code_goes_by_the_whatsapp_authentication_template(app, client, whatsapp):
    client.post("/register/phone", data={"name": "Ibu Siti", "phone": "0812 3456 7001"})
    [sent] = whatsapp.requests
    assert sent["auth_ok"] and sent["path"] == f"/v21.0/{whatsapp.phone_number_id}/messages"
    body = sent["body"]
    assert body["to"] == "6281234567001" and body["type"] == "template"
    assert body["template"]["name"] == "kode_masuk" and body["template"]["language"] == {"code": "id"}
    [code] = whatsapp.codes_sent_to(SITI)
    assert body["template"]["components"][1] == {
        "type": "button",
        "sub_type": "url",
        "index": "0",
        "parameters": [{"type": "text", "text": code}],
    }
    assert "logged_codes" not in app.extensions  # not written to the log when WhatsApp sends it
    assert client.post("/login/phone/code", data={"code": code}).status_code == 302
    assert _user(SITI).name == "Ibu Siti"


def test_a_phone_account_without_email_buys_and_nothing_is_mailed_to_nobody(app, client, make):
    from tests.support.buying import checkout_body

    group = make.group()
    product = make.product(group, stock=10)
    phone_sign_in(app, app.test_client(), "081234567001", name="Ibu Siti")
    client.post("/api/v1/auth/otp", json={"phone": "081234567001"})
    answer = client.post("/api/v1/auth/token", json={"phone": "081234567001", "code": last_code(app, SITI)})
    auth = {"Authorization": f"Bearer {answer.json['token']}"}
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(product.id, 2)]))
    assert placed.status_code == 201, placed.get_data(as_text=True)
    assert all(message["To"] for message in app.extensions.get("mail_outbox", []))
