"""The group's numbers on its business documents (invoices, delivery notes): NPWP, NIB, whether it is a
PKP (registered for VAT) and whether it holds the small-business final-tax certificate. The platform does
not decide any of them: the group says what it has (docs/documents.md)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.core.errors import ValidationFailed, collect
from app.extensions import db

from . import roles
from .models import Group
from .services import group_for


def _digits(value: str | None) -> str:
    return "".join(c for c in (value or "") if c.isdigit())


def format_npwp(digits: str | None) -> str:
    """The 15-digit NPWP as printed (01.234.567.8-901.000); a 16-digit one (the NIK since 2024) as it is."""
    if digits and len(digits) == 15:
        d = digits
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
    return digits or ""


def update_documents(actor: User, slug: str, data: dict) -> Group:
    """NPWP (15 or 16 digits, punctuation ignored), NIB (13 digits), PKP and the certificate: empty clears."""
    group = group_for(actor, slug, roles.EDIT_GROUP)
    errors: dict[str, list[str]] = {}
    npwp, nib = _digits(data.get("npwp")), _digits(data.get("nib"))
    if npwp and len(npwp) not in (15, 16):
        collect(errors, "npwp", _("NPWP 15 atau 16 angka."))
    if nib and len(nib) != 13:
        collect(errors, "nib", _("NIB 13 angka."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    group.npwp, group.nib = npwp or None, nib or None
    group.pkp = bool(data.get("pkp"))
    group.final_tax_certificate = bool(data.get("final_tax_certificate"))
    db.session.commit()
    return group
