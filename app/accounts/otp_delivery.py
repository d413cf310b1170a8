"""Sending a one-time code: the only place that knows how. WhatsApp first: with WHATSAPP_TOKEN and
WHATSAPP_PHONE_NUMBER_ID set, the code goes as Meta's WhatsApp Cloud API authentication template
(WHATSAPP_OTP_TEMPLATE, a copy-code button: the code is the body's parameter and the button's), through
core/whatsapp.py's client. By SMS (core/sms.py, Twilio) where SMS is configured and WhatsApp is not, or
WhatsApp failed (a number without WhatsApp, Meta refusing or not answering). With neither, the code is
written to the log, as e-mails are in development (./scripts/dev needs no key)."""

from __future__ import annotations

import logging
import urllib.error

from flask import current_app
from flask_babel import gettext as _

from app.core import sms, whatsapp

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
    """Send `code` to `phone` (E.164): by WhatsApp, else by SMS. True when it went out (or was logged); a
    failure is logged, never raised: the page answers the same either way, and the person asks for a new
    code."""
    if not whatsapp_configured() and not sms.configured():
        log.info("one-time code for %s: %s", phone, code)
        if current_app.testing:
            logged_codes().append((phone, code))
        return True
    if whatsapp_configured() and _by_whatsapp(phone, code):
        return True
    return sms.configured() and _by_sms(phone, code)


def _by_whatsapp(phone: str, code: str) -> bool:
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


def sms_text(code: str) -> str:
    """The SMS, the code first (phones show the start of a message in the notification)."""
    return _("%(code)s adalah kode masuk Pasar UPPKS Anda. Jangan berikan kode ini kepada siapa pun.", code=code)


def _by_sms(phone: str, code: str) -> bool:
    try:
        sid = sms.send(phone, sms_text(code))
    except sms.NotSent as exc:
        log.error("the code for %s was not sent by SMS: %s", phone, exc)
        return False
    log.info("one-time code sent to %s by SMS (%s)", phone, sid)
    return True
