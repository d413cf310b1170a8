"""SMS: the only module that talks to the SMS provider, Twilio Programmable Messaging (its REST API, version
2010-04-01). A message is `POST {TWILIO_API_BASE}/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json`,
form-encoded `To` (E.164), `Body` and either `MessagingServiceSid` or `From` (in Indonesia a registered
alphanumeric sender ID), with HTTP basic auth (the account SID and its auth token); Twilio answers 201 and
the Message resource (`sid` "SM…", `status` "queued" or "accepted"), or an error document (`code`,
`message`, `more_info`, `status`). SMS is off unless the account SID, the auth token and a sender are set."""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app

log = logging.getLogger(__name__)


class NotSent(Exception):
    """Twilio refused the message, or could not be reached: the text says why."""


def configured() -> bool:
    cfg = current_app.config
    sender = cfg.get("TWILIO_MESSAGING_SERVICE_SID") or cfg.get("TWILIO_SMS_FROM")
    return bool(cfg.get("TWILIO_ACCOUNT_SID") and cfg.get("TWILIO_AUTH_TOKEN") and sender)


def send(to: str, text: str, timeout: float = 10) -> str:
    """Send `text` to `to` (E.164); Twilio's id of the message (its `sid`). NotSent when Twilio refuses it
    (a number it cannot reach, a wrong key, its rate limit) or does not answer."""
    cfg = current_app.config
    account = cfg["TWILIO_ACCOUNT_SID"]
    form = {"To": to, "Body": text}
    if cfg.get("TWILIO_MESSAGING_SERVICE_SID"):
        form["MessagingServiceSid"] = cfg["TWILIO_MESSAGING_SERVICE_SID"]
    else:
        form["From"] = cfg["TWILIO_SMS_FROM"]
    key = base64.b64encode(f"{account}:{cfg['TWILIO_AUTH_TOKEN']}".encode()).decode()
    request = urllib.request.Request(
        f"{cfg['TWILIO_API_BASE'].rstrip('/')}/2010-04-01/Accounts/{urllib.parse.quote(account)}/Messages.json",
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={"Authorization": f"Basic {key}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise NotSent(_error(exc.code, exc.read())) from exc
    except (OSError, ValueError) as exc:
        raise NotSent(f"no answer from Twilio: {exc!r}") from exc
    if not body.get("sid") or body.get("status") == "failed":
        raise NotSent(f"Twilio did not take the message: {str(body)[:300]}")
    return str(body["sid"])


def _error(status: int, raw: bytes) -> str:
    """Twilio's error document as one line: "400 21211: Invalid 'To' Phone Number…"."""
    try:
        error = json.loads(raw)
    except ValueError:
        error = {}
    if not isinstance(error, dict):
        error = {}
    return f"{status} {error.get('code', '')}: {error.get('message', '')}"[:300]
