"""A small server that answers Twilio's Programmable Messaging REST API as its documentation does, for the tests.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `Body` and `From` or
`MessagingServiceSid`, with HTTP basic auth (the account SID and its auth token): accepted, 201 and the
Message resource (`sid` "SM…", `status` "queued", or "accepted" through a Messaging Service); wrong
credentials, 401 and error 20003 "Authenticate"; a `To` that is not a number Twilio can text, 400 and error
21211; no `Body`, 400 and 21602; neither `From` nor `MessagingServiceSid`, 400 and 21603. `fail_next(code)`
makes the next sends fail as Twilio does (20429: too many requests, 429; any other code: 400). Every error
is Twilio's document `{"code", "message", "more_info", "status"}`. It lives under tests/ and the app never
imports it."""

from __future__ import annotations

import base64
import itertools
import json
import re

from werkzeug.wrappers import Request, Response

from tests.fakes import FakeServer

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
ERRORS = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
    21602: "Message body is required.",
    21603: "The 'From' phone number is required.",
}


class FakeTwilio(FakeServer):
    def __init__(self, account_sid: str = "AC" + "0123456789abcdef" * 2, auth_token: str = "token-uji-twilio"):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict] = []  # every message accepted: To, Body, From/MessagingServiceSid, sid
        self.requests: list[dict] = []  # every request: method, path, auth_ok, form
        self.failures: list[int] = []
        self._ids = itertools.count(1)
        self._serve()

    def fail_next(self, code: int, times: int = 1) -> None:
        self.failures.extend([code] * times)

    def sent_to(self, number: str) -> list[dict]:
        return [m for m in self.messages if m["To"] == number]

    # ------------------------------------------------------------ the HTTP API

    @staticmethod
    def _error(status: int, code: int, message: str | None = None) -> Response:
        body = {
            "code": code,
            "message": message or ERRORS.get(code, "Error"),
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _auth_ok(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    def _answer(self, request: Request) -> Response:
        auth_ok = self._auth_ok(request)
        form = request.form.to_dict() if request.method == "POST" else {}
        self.requests.append({"method": request.method, "path": request.path, "auth_ok": auth_ok, "form": form})
        found = MESSAGES_PATH.match(request.path)
        if not auth_ok:
            return self._error(401, 20003)
        if request.method != "POST" or not found or found.group(1) != self.account_sid:
            return self._error(404, 20404)
        if not re.fullmatch(r"\+[1-9]\d{7,14}", form.get("To", "")):
            return self._error(400, 21211, f"Invalid 'To' Phone Number: {form.get('To', '')}")
        if not form.get("Body"):
            return self._error(400, 21602)
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return self._error(400, 21603)
        with self.lock:
            if self.failures:
                code = self.failures.pop(0)
                return self._error(429 if code == 20429 else 400, code)
        return self._created(form)

    def _created(self, form: dict) -> Response:
        sid = f"SM{next(self._ids):032x}"
        message = dict(form, sid=sid)
        with self.lock:
            self.messages.append(message)
        body = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form["Body"],
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_segments": "1",
            "price": None,
            "sid": sid,
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "to": form["To"],
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        return Response(json.dumps(body), status=201, mimetype="application/json")
