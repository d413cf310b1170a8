"""E-mail: the only module that talks to an SMTP server. Without MAIL_SERVER, messages are written
to the log (development); MAIL_BACKEND=memory keeps them in a list (tests)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from flask import current_app

from . import jobs

log = logging.getLogger(__name__)


def outbox() -> list[EmailMessage]:
    return current_app.extensions.setdefault("mail_outbox", [])


def send(to: Sequence[str | None] | str | None, subject: str, body: str) -> None:
    """Send after the transaction that caused it has committed. With a job queue the message is a
    durable job (written to the outbox first, sent by a worker, retried); without, it goes now. Empty
    addresses (None: an account without e-mail) are skipped. A failure
    to send now is logged, never raised."""
    # an account made with a phone number has no address: nothing to send to it
    listed = [to] if to is None or isinstance(to, str) else to
    recipients = [t for t in dict.fromkeys(listed) if t]
    if not recipients:
        return
    if jobs.queued():
        jobs.enqueue_durable("mail.deliver", recipients, str(subject), str(body))
        return
    try:
        deliver(recipients, subject, body)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s: %s", recipients, subject)


@jobs.task("mail.deliver")
def deliver(recipients: list[str], subject: str, body: str) -> None:
    """The message itself; raises if the SMTP server refuses (a job is then retried)."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg.get("MAIL_FROM", "Pasar UPPKS <no-reply@pasar-uppks.invalid>")
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    backend = cfg.get("MAIL_BACKEND") or ("smtp" if cfg.get("MAIL_SERVER") else "log")
    if backend == "memory":
        outbox().append(msg)
        return
    if backend == "log":
        log.info("mail to %s: %s\n%s", msg["To"], subject, body)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT", 587)), timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
        smtp.send_message(msg)
