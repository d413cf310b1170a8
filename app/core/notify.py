"""A notice to people, by the way each one chose: WhatsApp (a template message, to a verified number), e-mail,
or both. The areas say who is told (accounts.contact, groups.contact make the Contacts) and what; this module
knows no area. Called after the transaction that caused the notice has committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import mail, whatsapp
from .notices import TEMPLATES

CHANNELS = ("whatsapp", "email", "both")


@dataclass(frozen=True)
class Contact:
    email: str | None
    whatsapp: str | None = None  # a number proven to be the person's (E.164); None: e-mail only
    channel: str = "whatsapp"  # the person's choice: whatsapp | email | both
    language: str = "id"

    @property
    def by_whatsapp(self) -> bool:
        return bool(self.whatsapp) and self.channel in ("whatsapp", "both")

    @property
    def by_email(self) -> bool:
        return bool(self.email) and (not self.by_whatsapp or self.channel == "both")


def tell(contacts: Iterable[Contact], template: str, params: list, *, key: str, subject: str, body: str) -> None:
    """Tell each contact: by WhatsApp (the template with `params`, once per `key` and number; the e-mail
    stands in if it fails) and/or by e-mail (`subject`, `body`, one message to every address told so)."""
    assert template in TEMPLATES, template
    emails: list[str] = []
    for contact in contacts:
        if contact.by_whatsapp:
            assert contact.whatsapp is not None
            whatsapp.send(
                contact.whatsapp,
                template,
                contact.language,
                params,
                key=f"{key}:{contact.whatsapp}",
                email=None if contact.by_email else contact.email,  # "both": the e-mail has gone already
                subject=subject,
                body=body,
            )
        if contact.by_email:
            assert contact.email is not None
            emails.append(contact.email)
    mail.send(emails, subject, body)
