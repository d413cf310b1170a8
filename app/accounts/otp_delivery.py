"""Sending a one-time code: the only place that knows how. With WHATSAPP_TOKEN and
WHATSAPP_PHONE_NUMBER_ID set, the code goes as Meta's WhatsApp Cloud API authentication template
(WHATSAPP_OTP_TEMPLATE, a copy-code button: the code is the body's parameter and the button's), through
core/whatsapp.py's client;
otherwise it is written to the log, as e-mails are in development (./scripts/dev needs no key)."""

from __future__ import annotations

import logging
import urllib.error

from flask import current_app

from app.core import whatsapp

log = logging.getLogger(__name__)


def whatsapp_configured() -> bool:
    return whatsapp.configured()


def authentication_message(phone: str, code: str, template: str, language: str) -> dict:
    """The Cloud API's body for an authentication template with a copy-code button."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": phone.lstrip("+"),
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": code}]},
                {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": code}]},
            ],
        },
    }


def logged_codes() -> list[tuple[str, str]]:
    """The codes written to the log by this app, (number, code), newest last: kept only under TESTING."""
    return current_app.extensions.setdefault("logged_codes", [])


def send_code(phone: str, code: str) -> bool:
    """Send `code` to `phone` (E.164). True when it went out (or was logged); a failure is logged, never
    raised: the page answers the same either way, and the person asks for a new code."""
    if not whatsapp_configured():
        log.info("one-time code for %s: %s", phone, code)
        if current_app.testing:
            logged_codes().append((phone, code))
        return True
    cfg = current_app.config
    body = authentication_message(phone, code, cfg["WHATSAPP_OTP_TEMPLATE"], cfg["WHATSAPP_OTP_LANGUAGE"])
    try:
        sent = whatsapp.post_message(body, timeout=10).get("messages") or [{}]
        log.info("one-time code sent to %s by WhatsApp (%s)", phone, sent[0].get("id"))
        return True
    except urllib.error.HTTPError as exc:
        log.error("WhatsApp refused the code for %s: %s %s", phone, exc.code, exc.read()[:500])
    except (OSError, ValueError) as exc:
        log.error("WhatsApp could not be reached for the code for %s: %r", phone, exc)
    return False
