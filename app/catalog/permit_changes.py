"""What a group writes about its permits: the entries checked, the list applied, a scan added; and who
may open a scan. Verification is an officer's decision: any change to a decided permit sends it back to
the officers, with a line in the decisions log. How each type's number is written: permits.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Decision, User
from app.accounts.scope import check_scope
from app.core import images, validate
from app.core.errors import NotFound, ValidationFailed, collect
from app.core.storage import replace_and_commit
from app.extensions import db
from app.groups.models import Group, Membership

from . import permits as permit_rules
from .access import product_for_member
from .models import PERMITS_BY_KIND, Category, Permit, Product

if TYPE_CHECKING:
    from .categories import CategoryInfo

MAX_PERMITS = 5


def clean_permits(raw: list, category: Category | CategoryInfo | None, errors: dict) -> list[dict]:
    if not isinstance(raw, list) or len(raw) > MAX_PERMITS:
        collect(errors, "permits", _("Paling banyak %(n)s izin.", n=MAX_PERMITS))
        return []
    allowed = PERMITS_BY_KIND.get(category.kind, ()) if category else ()
    out = []
    for i, row in enumerate(raw):
        key = f"permits.{i}"
        if not isinstance(row, dict):
            collect(errors, key, _("Izin tidak valid."))
            continue
        ptype = row.get("type")
        if ptype not in permit_rules.TYPE_LABELS:
            collect(errors, f"{key}.type", _("Jenis izin tidak dikenal."))
            continue
        if category and ptype not in allowed:
            if ptype in ("bpom_md", "bpom_ml", "pirt") and category.kind == "cosmetic":
                msg = _("Sabun dan kosmetik memakai nomor notifikasi kosmetik BPOM (NA…), bukan MD/ML atau P-IRT.")
            elif ptype == "bpom_na":
                msg = _("Nomor notifikasi kosmetik (NA…) hanya untuk kosmetik seperti sabun.")
            else:
                msg = _("Jenis izin ini tidak berlaku untuk kategori %(c)s.", c=category.name_id)
            collect(errors, f"{key}.type", msg)
            continue
        number = permit_rules.normalise(ptype, str(row.get("number") or ""))
        if number is None:
            collect(errors, f"{key}.number", _("Format nomor tidak sesuai: %(hint)s.", hint=permit_rules.hint(ptype)))
            continue
        status = row.get("status") or "submitted"
        if status not in ("in_process", "submitted", "verified", "rejected"):
            collect(errors, f"{key}.status", _("Status izin harus in_process atau submitted."))
            continue
        issued = validate.date_value(row.get("issued_on"), errors, f"{key}.issued_on")
        expires = validate.date_value(row.get("expires_on"), errors, f"{key}.expires_on")
        if issued and expires and expires <= issued:
            collect(errors, f"{key}.expires_on", _("Tanggal berlaku harus setelah tanggal terbit."))
        clean = {"type": ptype, "number": number, "status": status}
        # a date left out (a PATCH that names only some fields) keeps what the permit has
        clean.update({name: value for name, value in (("issued_on", issued), ("expires_on", expires)) if name in row})
        out.append(clean)
    seen = set()
    for p in out:
        if (p["type"], p["number"]) in seen:
            collect(errors, "permits", _("Izin yang sama tercantum dua kali."))
        seen.add((p["type"], p["number"]))
    return out


def apply_permits(product: Product, permits: list[dict], actor: User | None) -> None:
    """The group's list of permits. Verification is an officer's decision: a member only submits, and
    any change to a decided permit (number, dates; a new document in add_permit_document) sends it back
    to "submitted" for a new look, with a line in the decisions log. A verified permit that is dropped
    is logged too."""
    by_key = {(p.type, p.number): p for p in product.permits}
    unmatched = [p for p in product.permits if not any((q["type"], q["number"]) == (p.type, p.number) for q in permits)]
    new_list = []
    for p in permits:
        row = by_key.get((p["type"], p["number"]))
        if row is None:
            # the same type with another number is the same permit corrected: keep its row and history
            row = next((old for old in unmatched if old.type == p["type"]), None)
            if row is not None:
                unmatched.remove(row)
                row.number = p["number"]
                _reopen(row, product, actor, "number")
            else:
                status = p["status"] if p["status"] in ("in_process", "submitted") else "submitted"
                row = Permit(type=p["type"], number=p["number"], status=status)
        for name in ("issued_on", "expires_on"):
            if name in p and getattr(row, name) != p[name]:
                setattr(row, name, p[name])
                _reopen(row, product, actor, name)
        new_list.append(row)
    for gone in unmatched:
        if gone.status == "verified":
            _log_permit(gone, product, actor, "withdrawn", None)
    product.permits = new_list
    product.refresh_permit_validity()


def _reopen(permit: Permit, product: Product, actor: User | None, what: str) -> None:
    """A decided permit that the group changes goes back to the officers' queue."""
    if permit.id is None or permit.status not in ("verified", "rejected"):
        return
    what_changed = {
        "number": _("nomor"),
        "issued_on": _("tanggal terbit"),
        "expires_on": _("tanggal berakhir"),
        "document": _("dokumen"),
    }[what]
    permit.status, permit.decided_by_id, permit.decided_at = "submitted", None, None
    _log_permit(
        permit, product, actor, "resubmitted", _("Kelompok mengubah %(what)s; perlu diperiksa lagi.", what=what_changed)
    )


def _log_permit(permit: Permit, product: Product, actor: User | None, decision: str, reason: str | None) -> None:
    group = product.group or db.session.get(Group, product.group_id)  # a new product's is not loaded yet
    assert group is not None  # products.group_id is a foreign key
    db.session.add(
        Decision(
            kind="permit",
            object_id=permit.id,
            decision=decision,
            reason=reason,
            actor_id=actor.id if actor else None,
            province_code=group.province_code,
            regency_code=group.regency_code,
        )
    )


def permit_document_for(actor: User, permit_id: int) -> str:
    """The key of a permit's scan, for the product's group, officers whose scope holds the group, and
    admins; anyone else gets 404 (an officer outside the scope: 403)."""
    permit = db.session.get(Permit, permit_id)
    product = db.session.get(Product, permit.product_id) if permit else None
    if permit is None or product is None:
        raise NotFound(_("Izin tidak ditemukan."))
    if actor.is_officer and not actor.is_admin:
        check_scope(actor, product.group.province_code, product.group.regency_code)
    elif (
        not actor.is_admin
        and db.session.scalar(
            select(Membership.id).where(Membership.group_id == product.group_id, Membership.user_id == actor.id)
        )
        is None
    ):
        raise NotFound(_("Izin tidak ditemukan."))
    if not permit.document_key:
        raise NotFound(_("Izin ini belum punya dokumen."))
    return permit.document_key


def add_permit_document(actor: User, product_id: int, permit_id: int, raw: bytes) -> Permit:
    """The scan or photo of a permit: the evidence an officer opens. Same pipeline as product photos."""
    product = product_for_member(actor, product_id)
    permit = next((p for p in product.permits if p.id == permit_id), None)
    if permit is None:
        raise NotFound(_("Izin tidak ditemukan."))
    cfg = current_app.config
    try:
        result = images.process(
            raw, widths=(1600,), max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_DOCUMENT_PIXELS"]
        )
    except images.ImageRejected as exc:
        message = images.rejection_message(exc.code)
        raise ValidationFailed(message, {"file": [message]}) from None
    _reopen(permit, product, actor, "document")  # a new document asks for a new look
    product.refresh_permit_validity()
    replace_and_commit(
        "permits",
        result.variants[-1].data,
        permit.document_key,
        lambda key: setattr(permit, "document_key", key),
        db.session,
    )
    return permit
