"""A small server that answers Meta's WhatsApp Cloud API as its documentation does, for the tests.

`POST /{version}/{phone_number_id}/messages` with a Bearer token: a template message (messaging_product
"whatsapp", `to`, type "template", the template's name, language and body parameters) is accepted and
answered `{"messaging_product": "whatsapp", "contacts": [{"input", "wa_id"}], "messages": [{"id":
"wamid.…"}]}`; a wrong token is refused (401, code 190); a template Meta does not know in that language
(404, code 132001) or with the wrong number of parameters (400, code 132000) is refused as Meta refuses
it. `fail_next(code)` makes the next sends fail as Meta does (130429: rate limit; 131000: its own trouble;
any other code). `status_event` and `sign` write the status webhook Meta POSTs back (statuses sent,
delivered, read, failed; signed X-Hub-Signature-256 with the app secret). By default it knows the
templates of app/core/notices.py and the sign-in code's authentication template (kode_masuk), as Meta
knows those the operator registered. It lives under tests/ and the app never imports it."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time

from werkzeug.wrappers import Request, Response

from app.core.notices import TEMPLATES
from tests.fakes import FakeServer

MESSAGES_PATH = re.compile(r"^/(v\d+\.\d+)/([^/]+)/messages$")
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
MESSAGES = {
    130429: "(#130429) Rate limit hit",
    131000: "(#131000) Something went wrong",
    131026: "(#131026) Message undeliverable",
    132000: "(#132000) Number of parameters does not match the expected number of params",
    132001: "(#132001) Template name does not exist in the translation",
}


AUTHENTICATION = "kode_masuk"  # the sign-in code (Meta's preset authentication body: "{{1}} adalah kode…")


def registered() -> dict[tuple[str, str], int]:
    """(template, language) -> how many body parameters, for the templates the operator registered."""
    known = {(AUTHENTICATION, "id"): 1, (AUTHENTICATION, "en"): 1}
    for t in TEMPLATES.values():
        for language, body in (("id", t.id), ("en", t.en)):
            known[(t.name, language)] = len(set(PLACEHOLDER.findall(body)))
    return known


class FakeWhatsApp(FakeServer):
    def __init__(
        self,
        token: str = "EAAG-uji-token",
        phone_number_id: str = "106540352242922",
        app_secret: str = "rahasia-aplikasi-uji",
        templates: dict[tuple[str, str], int] | None = None,
    ):
        self.token, self.phone_number_id, self.app_secret = token, phone_number_id, app_secret
        self.access_token = token
        self.templates = registered() if templates is None else templates
        # every message accepted: the body as sent (to, type, template…) with its "id", and for reading
        # easily the template's "name", "language" and body "params"
        self.messages: list[dict] = []
        self.requests: list[dict] = []  # every request: method, path, auth_ok, body
        self.failures: list[int] = []  # the codes the next sends fail with, in turn
        self._ids = itertools.count(1)
        self._serve()

    def fail_next(self, code: int, times: int = 1) -> None:
        self.failures.extend([code] * times)

    def sent_to(self, number: str) -> list[dict]:
        return [m for m in self.messages if m["to"] == number.lstrip("+")]

    def codes_sent_to(self, phone: str) -> list[str]:
        """The one-time codes of the authentication templates sent to `phone` (E.164 or digits), oldest first."""
        return [m["params"][0] for m in self.sent_to(phone) if m["name"] == AUTHENTICATION]

    # ------------------------------------------------------------ the HTTP API

    @staticmethod
    def _json(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _error(self, status: int, code: int, message: str | None = None, details: str = "") -> Response:
        error = {
            "message": message or MESSAGES.get(code, f"(#{code}) Error"),
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": f"A{next(self._ids):08d}",
        }
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        return self._json(status, {"error": error})

    def _answer(self, request: Request) -> Response:
        auth_ok = request.headers.get("Authorization") == f"Bearer {self.token}"
        body = request.get_json(silent=True) if request.method == "POST" else None
        self.requests.append({"method": request.method, "path": request.path, "auth_ok": auth_ok, "body": body})
        found = MESSAGES_PATH.match(request.path)
        if request.method != "POST" or not found or found.group(2) != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request.")
        if not auth_ok:
            return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            return self._error(400, 100, "(#100) The parameter messaging_product is required.")
        with self.lock:
            if self.failures:
                code = self.failures.pop(0)
                return self._error(400, code, details="told to fail by the test")
        return self._template(body)

    def _template(self, body: dict) -> Response:
        to = str(body.get("to") or "")
        template = body.get("template") or {}
        if body.get("type") != "template" or not re.fullmatch(r"\d{8,15}", to):
            return self._error(400, 100, "(#100) Invalid parameter")
        name, language = template.get("name"), (template.get("language") or {}).get("code")
        params = [
            p.get("text")
            for c in template.get("components") or []
            if c.get("type") == "body"
            for p in c.get("parameters") or []
        ]
        if (name, language) not in self.templates:
            return self._error(404, 132001, details=f"template name ({name}) does not exist in {language}")
        if len(params) != self.templates[(name, language)] or not all(isinstance(p, str) and p for p in params):
            return self._error(400, 132000)
        if any("\n" in p or "\t" in p or "     " in p for p in params):
            return self._error(
                400, 100, "(#100) Param text cannot have new-line/tab characters or more than 4 consecutive spaces"
            )
        wamid = f"wamid.HBgN{next(self._ids):06d}{to}"
        with self.lock:
            self.messages.append(dict(body, id=wamid, name=name, language=language, params=params))
        return self._json(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid, "message_status": "accepted"}],
            },
        )

    # ------------------------------------------------------------ what Meta POSTs back

    def status_event(self, wamid: str, status: str, error_code: int | None = None) -> bytes:
        """The status webhook's body for one message, as Meta sends it."""
        message = next(m for m in self.messages if m["id"] == wamid)
        entry = {"id": str(wamid), "status": status, "timestamp": str(int(time.time())), "recipient_id": message["to"]}
        if status == "failed":
            code = error_code or 131026
            entry["errors"] = [
                {"code": code, "title": MESSAGES.get(code, "Failure"), "message": "Message undeliverable"}
            ]
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "6281100001111",
                                    "phone_number_id": self.phone_number_id,
                                },
                                "statuses": [entry],
                            },
                        }
                    ],
                }
            ],
        }
        return json.dumps(body).encode()

    def sign(self, raw: bytes, secret: str | None = None) -> str:
        """X-Hub-Signature-256 as Meta writes it (with another secret: as a forger would)."""
        key = (secret or self.app_secret).encode()
        return "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
