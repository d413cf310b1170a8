"""One-time codes by SMS, through the real client over HTTP to a fake of Twilio's Programmable Messaging API
(tests/fakes/twilio_server.py): where WhatsApp is not configured the code goes by SMS; where WhatsApp is
configured it goes by WhatsApp, and by SMS when WhatsApp refuses it; a refused SMS (a number Twilio cannot
text, a wrong key) leaves the page answering the same and sends nothing else."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db

SITI = "+6281234567001"


def _code_in(sms, phone: str) -> str:
    [message] = sms.sent_to(phone)
    found = re.match(r"(\d{6}) adalah kode masuk Pasar UPPKS", message["Body"])
    assert found, message["Body"]
    return found.group(1)


def test_without_whatsapp_the_code_comes_by_sms_and_signs_her_up(app, client, sms):
    answer = client.post("/register/phone", data={"name": "Ibu Siti", "phone": "0812 3456 7001"})
    assert answer.status_code == 302
    [request] = sms.requests
    assert request["auth_ok"] and request["path"] == f"/2010-04-01/Accounts/{sms.account_sid}/Messages.json"
    assert request["form"]["From"] == "PasarUPPKS" and request["form"]["To"] == SITI
    code = _code_in(sms, SITI)
    assert "logged_codes" not in app.extensions  # sent, not written to the log
    assert client.post("/login/phone/code", data={"code": code}).status_code == 302
    siti = db.session.scalar(select(User).where(User.phone == SITI))
    assert siti is not None and siti.name == "Ibu Siti" and siti.phone_verified_at is not None


def test_whatsapp_goes_first_and_sms_stands_in_when_whatsapp_refuses(app, client, sms, whatsapp):
    client.post("/login/phone", data={"phone": "081234567001"})
    assert len(whatsapp.codes_sent_to(SITI)) == 1 and not sms.messages  # WhatsApp took it: no SMS

    whatsapp.fail_next(131026)  # the number has no WhatsApp
    client.post("/login/phone", data={"phone": "081234567001"})
    assert len(whatsapp.codes_sent_to(SITI)) == 1
    code = _code_in(sms, SITI)
    answer = client.post("/login/phone/code", data={"code": code})
    assert answer.headers["Location"].endswith("/register/phone/name")  # the number is hers: now her name
    client.post("/register/phone/name", data={"name": "Ibu Siti"})
    assert client.get("/account").status_code == 200


def test_a_refused_sms_answers_the_same_and_sends_nothing(app, client, sms):
    sms.fail_next(21408)  # Twilio may not text that region
    answer = client.post("/api/v1/auth/otp", json={"phone": "081234567001"})
    assert answer.status_code == 202 and not sms.messages
    app.config["TWILIO_AUTH_TOKEN"] = "bukan-kunci-kita"
    again = client.post("/api/v1/auth/otp", json={"phone": "081234567002"})
    assert again.status_code == 202 and not sms.messages
    assert not sms.requests[-1]["auth_ok"]
    assert "logged_codes" not in app.extensions  # not written to the log either: it would be a leak in production
