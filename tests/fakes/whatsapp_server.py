"""A small server that answers Meta's WhatsApp Cloud API messages endpoint as its documentation does, for
the tests: POST /{version}/{phone_number_id}/messages with a Bearer token and a JSON body answers
{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid…"}]}; a wrong token 401
(OAuthException, code 190), a body that is not a message 400 (code 100). Everything received is kept in
`requests` (and the accepted messages in `messages`) for the tests to read. It lives under tests/ and the
app never imports it; other tests may extend it (templates, errors, the status webhook)."""

from __future__ import annotations

import json
import re
import secrets
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

MESSAGES = re.compile(r"^/(v\d+\.\d+)/([^/]+)/messages$")


class FakeWhatsApp:
    def __init__(self, access_token: str, phone_number_id: str):
        self.access_token, self.phone_number_id = access_token, phone_number_id
        self.requests: list[dict] = []  # every request: method, path, auth_ok, body
        self.messages: list[dict] = []  # the bodies of the messages accepted, with their "id"
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=5)

    def codes_sent_to(self, phone: str) -> list[str]:
        """The one-time codes of the authentication templates sent to `phone` (E.164 or digits), oldest first."""
        digits = phone.lstrip("+")
        return [
            m["template"]["components"][0]["parameters"][0]["text"]
            for m in self.messages
            if m.get("to") == digits and m.get("type") == "template"
        ]

    # ------------------------------------------------------------ the HTTP API

    def _wsgi(self, environ, start_response):
        return self._answer(Request(environ))(environ, start_response)

    @staticmethod
    def _error(status: int, message: str, kind: str, code: int) -> Response:
        body = {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": secrets.token_hex(8)}}
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _answer(self, request: Request) -> Response:
        auth_ok = request.headers.get("Authorization") == f"Bearer {self.access_token}"
        body = request.get_json(silent=True)
        self.requests.append({"method": request.method, "path": request.path, "auth_ok": auth_ok, "body": body})
        found = MESSAGES.match(request.path)
        if request.method != "POST" or not found or found.group(2) != self.phone_number_id:
            return self._error(400, "Unsupported post request.", "GraphMethodException", 100)
        if not auth_ok:
            return self._error(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return self._error(400, "(#100) Invalid parameter", "OAuthException", 100)
        message_id = "wamid." + secrets.token_urlsafe(24)
        self.messages.append(dict(body, id=message_id))
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": message_id}],
        }
        return Response(json.dumps(answer), status=200, mimetype="application/json")
