"""WhatsApp: the only module that talks to Meta's WhatsApp Cloud API. A notice is a template message
(`POST {WHATSAPP_API_BASE}/{version}/{phone_number_id}/messages`: a template's name, its language and the
body's parameters), recorded in `whatsapp_messages` under a key of its own before it is sent, so the same
notice is never sent twice, whoever asks twice and however often its job runs. The message is a durable job
(the outbox, as e-mails are), retried while Meta is busy; a message Meta refuses, or that its status
webhook reports failed, is sent once by e-mail instead. Without WHATSAPP_TOKEN the message is written to the
log (development), as e-mails are without MAIL_SERVER."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import Model, db

from . import jobs, mail

log = logging.getLogger(__name__)

# how far a message got; a status never goes back (Meta's webhooks may come out of order)
STATUSES = ("pending", "sent", "delivered", "read", "failed")
RANK = {"pending": 0, "sent": 1, "delivered": 2, "read": 3}
# Meta's error codes that mean "later, not never": throttling, its own trouble (the rest are refusals:
# an unknown template, wrong parameters, a number not on WhatsApp…)
BUSY_CODES = {1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004}


class Busy(Exception):
    """Meta could not take the message now (rate limit, its own trouble, no answer): try again later."""


class Refused(Exception):
    """Meta will not send this message (a template error, a number without WhatsApp): fall back."""


class WhatsAppMessage(Model):
    """One notice to one number: what was asked, where it got (Meta's statuses), and its e-mail fallback."""

    __tablename__ = "whatsapp_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # the notice and the number: sent once
    to: Mapped[str] = mapped_column(String(20))  # E.164
    template: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5))
    params: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    wamid: Mapped[str | None] = mapped_column(String(160), unique=True)  # Meta's id of the message
    error: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(default=0)
    # the e-mail that stands in when the message fails (None: the person also chose e-mail, or has none)
    email: Mapped[str | None] = mapped_column(String(254))
    email_subject: Mapped[str | None] = mapped_column(String(300))
    email_body: Mapped[str | None] = mapped_column(Text)
    fell_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def configured() -> bool:
    cfg = current_app.config
    return bool(cfg.get("WHATSAPP_TOKEN") and cfg.get("WHATSAPP_PHONE_NUMBER_ID"))


def clean_param(value) -> str:
    """A body parameter as Meta takes it: text without new lines or tabs, no run of spaces, not empty."""
    text = " ".join(str(value).split())
    return text[:1000] or "-"


def send(
    to: str,
    template: str,
    language: str,
    params: list,
    *,
    key: str,
    email: str | None = None,
    subject: str = "",
    body: str = "",
) -> WhatsAppMessage | None:
    """Send the template message to `to` once per `key`, after the transaction that caused it has committed;
    `email`, `subject` and `body` are what is sent instead if it fails. None when the key was sent before."""
    row = WhatsAppMessage(
        key=key[:160],
        to=to,
        template=template,
        language=language if language in ("id", "en") else "id",
        params=[clean_param(p) for p in params],
        email=email,
        email_subject=str(subject)[:300] if email else None,
        email_body=str(body) if email else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None  # this notice went to this number already
    db.session.commit()
    jobs.enqueue_durable("whatsapp.deliver", row.id)
    return row


@jobs.task("whatsapp.deliver")
def deliver(message_id: int) -> None:
    """The message itself, once: a row already sent (or failed) is left alone. Meta busy: the job raises and
    is retried (jobs.RETRY_INTERVALS), and after the last try, or at once without a queue, falls back to
    e-mail; Meta refusing: falls back at once."""
    row = db.session.get(WhatsAppMessage, message_id, with_for_update=True)
    if row is None or row.status != "pending":
        db.session.rollback()
        return
    row.attempts += 1
    try:
        row.wamid = _post(row)
    except Busy as exc:
        if jobs.queued() and row.attempts <= len(jobs.RETRY_INTERVALS):
            row.error = str(exc)[:300]
            db.session.commit()
            raise
        _fail(row, str(exc))
        return
    except Refused as exc:
        _fail(row, str(exc))
        return
    row.status, row.status_at, row.error = "sent", utcnow(), None
    db.session.commit()


def post_message(payload: dict, timeout: float = 15) -> dict:
    """POST a message to the Cloud API (the one place that knows its address and key) and answer its JSON;
    urllib's HTTPError for Meta's refusals, OSError or ValueError when there is no answer or no JSON."""
    cfg = current_app.config
    url = f"{cfg['WHATSAPP_API_BASE'].rstrip('/')}/{cfg['WHATSAPP_API_VERSION']}/{cfg['WHATSAPP_PHONE_NUMBER_ID']}/messages"
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {cfg['WHATSAPP_TOKEN']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read() or b"{}")


def _post(row: WhatsAppMessage) -> str | None:
    """POST the template message; Meta's id of it (None when only written to the log)."""
    if not configured():
        log.info("whatsapp to %s: %s (%s) %s", row.to, row.template, row.language, row.params)
        return None
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": row.to.lstrip("+"),
        "type": "template",
        "template": {
            "name": row.template,
            "language": {"code": row.language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in row.params]}],
        },
    }
    try:
        body = post_message(payload)
    except urllib.error.HTTPError as exc:
        raise _error(exc.code, exc.read()) from exc
    except (OSError, ValueError) as exc:  # no answer, or not JSON: Meta may have it or not; try again
        raise Busy(f"no answer from WhatsApp: {exc}") from exc
    messages = body.get("messages") or []
    if not messages or not messages[0].get("id"):
        raise Busy(f"WhatsApp answered without a message id: {body}")
    return str(messages[0]["id"])


def _error(status: int, raw: bytes) -> Exception:
    """Meta's error document ({"error": {"code", "message", "error_data": {"details"}}}) as Busy or Refused."""
    try:
        error = json.loads(raw).get("error") or {}
    except ValueError:
        error = {}
    code = error.get("code")
    details = (error.get("error_data") or {}).get("details") or ""
    text = f"{status} {code}: {error.get('message', '')} {details}".strip()
    if status >= 500 or status == 429 or code in BUSY_CODES:
        return Busy(text)
    return Refused(text)


def _fail(row: WhatsAppMessage, why: str) -> None:
    """The message failed: recorded, and its e-mail sent once (commits)."""
    row.status, row.status_at, row.error = "failed", utcnow(), why[:300]
    fall_back = bool(row.email) and row.fell_back_at is None
    if fall_back:
        row.fell_back_at = utcnow()
    db.session.commit()
    if fall_back:
        assert row.email is not None
        mail.send(row.email, row.email_subject or "", row.email_body or "")


# ------------------------------------------------------------------ the status webhook


def signature_ok(raw: bytes, header: str | None) -> bool:
    """X-Hub-Signature-256: "sha256=" and the HMAC-SHA256 of the raw body with the app's secret."""
    secret = current_app.config.get("WHATSAPP_APP_SECRET") or ""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def record_statuses(payload: dict) -> int:
    """Meta's statuses (sent, delivered, read, failed) kept on their messages; a failed one falls back to
    e-mail once. How many messages were ours."""
    seen = 0
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            for status in _dicts(value.get("statuses") if isinstance(value, dict) else None):
                errors = [e for e in _dicts(status.get("errors"))]
                seen += _record(str(status.get("id") or ""), str(status.get("status") or ""), errors)
    return seen


def _dicts(value) -> list[dict]:
    """The objects of a JSON list (what Meta sends; anything else is nothing)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _record(wamid: str, status: str, errors: list[dict]) -> int:
    row = db.session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.wamid == wamid).with_for_update())
    if row is None or status not in STATUSES or row.status == "failed":
        db.session.rollback()
        return 0 if row is None else 1
    if status == "failed":
        first = errors[0] if errors else {}
        _fail(row, f"{first.get('code', '')} {first.get('title', '')}".strip() or "failed")
        return 1
    if RANK[status] > RANK.get(row.status, 0):
        row.status, row.status_at = status, utcnow()
    db.session.commit()
    return 1
