"""Guessing a password: wrong passwords are counted per address, from any IP and on every way in (the
sign-in page, the API's token, the account page's current password), while the owner's own browser still
gets in; the most common passwords are refused with the reason."""

from tests.support.factories import PASSWORD, login


def test_the_sign_in_limit_keys_on_the_address_and_lets_the_owner_in(app, make):
    app.config["RATELIMIT_ENABLED"] = True
    make.user("hotel@uji.example")
    owner = app.test_client()
    login(owner, "hotel@uji.example")  # this browser is the owner's device now
    owner.post("/logout")
    attacker = app.test_client()
    for i, variant in enumerate([" hotel@uji.example", "HOTEL@uji.example ", "hotel@uji.example"] * 4):
        answer = attacker.post(
            "/login", data={"email": variant, "password": "salah-tebak"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}
        )  # from many places
    assert answer.status_code == 429  # one bucket for every spelling of the address
    assert (
        attacker.post(
            "/login",
            data={"email": "hotel@uji.example", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.1.1"},
        ).status_code
        == 429
    )
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
        assert (
            attacker.post(
                "/login",
                data={"email": "hotel@uji.example", "password": f"tebak-{i}"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
            ).status_code
            == 422
        )
    for i in range(4):
        assert (
            attacker.post(
                "/api/v1/auth/token",
                json={"email": "HOTEL@uji.example ", "password": f"coba-{i}"},
                environ_base={"REMOTE_ADDR": f"10.0.1.{i}"},
            ).status_code
            == 401
        )
    for i in range(2):
        assert (
            stolen.post(
                "/account",
                data={"current_password": f"kira-{i}", "new_password": "kopi-susu-gula-aren"},
                environ_base={"REMOTE_ADDR": f"10.0.2.{i}"},
            ).status_code
            == 422
        )
    # ten wrong ones: the right password is refused now, on every way in, from three more addresses
    for ip in ("10.0.3.1", "10.0.3.2", "10.0.3.3"):
        answer = attacker.post(
            "/api/v1/auth/token",
            json={"email": "hotel@uji.example", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": ip},
        )
        assert answer.status_code == 429 and answer.mimetype == "application/problem+json"
        assert "Terlalu banyak kata sandi salah" in answer.json["detail"] and int(answer.headers["Retry-After"]) > 0
    page = attacker.post(
        "/login", data={"email": "hotel@uji.example", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.4.1"}
    )
    assert page.status_code == 429 and "Terlalu banyak kata sandi salah" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 0
    again = stolen.post("/account", data={"current_password": PASSWORD, "new_password": "kopi-susu-gula-aren"})
    assert again.status_code == 429 and "Terlalu banyak kata sandi salah" in again.get_data(as_text=True)
    # the owner, from the browser that signed in before, is not locked out
    assert login(owner, "hotel@uji.example").status_code == 302
    assert (
        owner.post("/account", data={"current_password": PASSWORD, "new_password": "kopi-susu-gula-aren"}).status_code
        == 302
    )


def test_common_passwords_are_refused_with_the_reason(client):
    for weak in ("password123", "qwerty123", "iloveyou1", "bismillah"):
        answer = client.post("/api/v1/accounts", json={"email": f"{weak}@uji.example", "password": weak, "name": "Uji"})
        assert answer.status_code == 422, weak
        assert "paling sering dipakai" in " ".join(answer.json["errors"]["password"])
    assert (
        client.post(
            "/api/v1/accounts", json={"email": "ok@uji.example", "password": "kopi-susu-gula-aren", "name": "Uji"}
        ).status_code
        == 201
    )
