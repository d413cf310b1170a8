"""Business buyers: organisations and their staff, verification by an admin or an officer, outlets
(delivery addresses), and partnerships with groups."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.invitations import invite
from app.accounts.models import User
from app.accounts.scope import check_scope, log_decision, reason_given, scope_of
from app.core import regions, validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group
from app.groups.services import group_in_scope
from app.orders import checkout
from app.orders.counting import repeat_pairs
from app.orders.models import Order

from .models import ORG_TYPES, TERMS, DeliveryAddress, Organisation, OrganisationStaff, Partnership

_NPWP = re.compile(r"^\d{15}(\d)?$")  # 15 digits (99.999.999.9-999.999), or the 16-digit NIK-based form since 2024


# ------------------------------------------------------------------ organisations


def org_of(user: User | None) -> Organisation | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    staff = getattr(user, "business_staff", None)  # loaded with her session (models.py, area.py)
    return staff.organisation if staff else None


def verified_org_of(user: User | None) -> Organisation | None:
    org = org_of(user)
    return org if org is not None and org.is_verified else None


def _clean_org(data: dict, errors: dict) -> dict:
    out = {"name": validate.text(data.get("name"), errors, "name", max_len=160, min_len=3)}
    if data.get("type") not in ORG_TYPES:
        collect(errors, "type", _("Pilih jenis usaha dari daftar."))
    out["type"] = data.get("type")
    npwp = data.get("npwp")
    if npwp:
        digits = re.sub(r"[.\-\s]", "", str(npwp))
        if not _NPWP.match(digits):
            collect(errors, "npwp", _("NPWP 15 angka (99.999.999.9-999.999) atau 16 angka."))
        out["npwp"] = digits
    reg = regions.regency(data.get("regency"))
    if reg is None:
        collect(errors, "regency", _("Pilih kabupaten/kota dari daftar."))
    elif data.get("province") and data["province"] != reg.province_code:
        collect(errors, "province", _("Kabupaten/kota ini tidak berada di provinsi tersebut."))
    else:
        out["regency_code"], out["province_code"] = reg.code, reg.province_code
    out["address"] = validate.text(data.get("address"), errors, "address", max_len=255, required=False)
    return out


def register_org(user: User, data: dict) -> Organisation:
    errors: dict[str, list[str]] = {}
    values = _clean_org(data, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if org_of(user) is not None:
        raise Conflict(_("Akun ini sudah menjadi staf sebuah organisasi."))
    org = Organisation(status="pending", **values)
    db.session.add(org)
    db.session.flush()
    db.session.add(OrganisationStaff(organisation_id=org.id, user_id=user.id))
    db.session.commit()
    return org


def org_for_staff(actor: User, org_id: int) -> Organisation:
    org = org_of(actor)
    if org is None or org.id != org_id:
        if actor.is_admin:
            found = db.session.get(Organisation, org_id)
            if found:
                return found
        raise NotFound(_("Organisasi tidak ditemukan."))
    return org


def set_shelf_life(actor: User, org_id: int, data: dict) -> Organisation:
    """The shelf life the buyer's orders must still have: days, and/or a percent of the whole shelf life
    (67: two thirds); both empty: any lot not expired (app/catalog/lots.py ShelfRule)."""
    org = org_for_staff(actor, org_id)
    errors: dict[str, list[str]] = {}
    days = validate.integer(data.get("min_shelf_days"), errors, "min_shelf_days", low=1, high=3650, required=False)
    percent = validate.integer(
        data.get("min_shelf_percent"), errors, "min_shelf_percent", low=1, high=99, required=False
    )
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    org.min_shelf_days, org.min_shelf_percent = days, percent
    db.session.commit()
    return org


def invite_staff(actor: User, org_id: int, email: str, link):
    """Staff invite a colleague by e-mail; sent whether or not the address has an account."""
    org = org_for_staff(actor, org_id)
    errors: dict[str, list[str]] = {}
    clean = validate.email(email, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if db.session.scalar(
        select(OrganisationStaff.id)
        .join(User, User.id == OrganisationStaff.user_id)
        .where(OrganisationStaff.organisation_id == org.id, User.email == clean)
    ):
        raise Conflict(
            _("Orang ini sudah menjadi staf organisasi Anda."),
            {"email": [_("Orang ini sudah menjadi staf organisasi Anda.")]},
        )
    return invite(actor, clean, "organisation", org.id, None, what=org.name, link=link)


def join_by_invitation(user: User, invitation) -> None:
    """Accepting an invitation to a business buyer's staff (in the caller's transaction)."""
    current = org_of(user)
    if current is not None and current.id != invitation.target_id:
        raise Conflict(_("Akun ini sudah menjadi staf organisasi lain."))
    if current is None:
        db.session.add(OrganisationStaff(organisation_id=invitation.target_id, user_id=user.id))


def invitation_name(invitation) -> str:
    org = db.session.get(Organisation, invitation.target_id)
    return org.name if org else ""


def staff_of(org: Organisation) -> list[OrganisationStaff]:
    return list(db.session.scalars(select(OrganisationStaff).where(OrganisationStaff.organisation_id == org.id)))


def verify_org(actor: User, org_id: int, terms_days: int = 0) -> Organisation:
    """An admin, or an officer of the organisation's province, verifies it and grants its terms."""
    scope_of(actor)  # officers and admins only (403)
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    check_scope(actor, org.province_code, org.regency_code)
    if terms_days not in TERMS:
        raise ValidationFailed(_("Tempo 0, 14 atau 30 hari."), {"payment_terms_days": [_("Tempo 0, 14 atau 30 hari.")]})
    org.status, org.payment_terms_days = "verified", terms_days
    org.verified_at, org.verified_by_id, org.status_reason = utcnow(), actor.id, None
    log_decision(actor, "organisation", org.id, "verified", None, org.province_code, org.regency_code)
    db.session.commit()
    return org


def reject_org(actor: User, org_id: int, reason: str) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    check_scope(actor, org.province_code, org.regency_code)
    text = reason_given(reason, required=True)
    org.status, org.status_reason = "rejected", text
    log_decision(actor, "organisation", org.id, "rejected", text, org.province_code, org.regency_code)
    db.session.commit()
    return org


def verified_organisations(limit: int = 500) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.status == "verified").order_by(Organisation.name).limit(limit)
        )
    )


def pending_orgs(actor: User) -> list[Organisation]:
    area = scope_of(actor)
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.status == "pending", area.where(Organisation.province_code, Organisation.regency_code))
            .order_by(Organisation.id)
        )
    )


# ------------------------------------------------------------------ outlets


def add_address(actor: User, data: dict) -> DeliveryAddress:
    org = org_of(actor)
    if org is None:
        raise Forbidden(_("Hanya staf pembeli bisnis."))
    errors: dict[str, list[str]] = {}
    label = validate.text(data.get("label"), errors, "label", max_len=80)
    values = checkout.clean_address(data, errors)
    if errors:
        raise ValidationFailed(
            _("Periksa isian yang ditandai."), {k.replace("shipping_address.", ""): v for k, v in errors.items()}
        )
    row = DeliveryAddress(
        organisation_id=org.id,
        label=label,
        name=values["ship_name"],
        phone=values["ship_phone"],
        street=values["ship_street"],
        village=values["ship_village"],
        district=values["ship_district"],
        regency_code=values["ship_regency_code"],
        province_code=values["ship_province_code"],
        postal_code=values["ship_postal_code"],
    )
    db.session.add(row)
    db.session.commit()
    return row


def addresses_of(org: Organisation | None) -> list[DeliveryAddress]:
    if org is None:
        return []
    return list(
        db.session.scalars(
            select(DeliveryAddress).where(DeliveryAddress.organisation_id == org.id).order_by(DeliveryAddress.label)
        )
    )


def address_for(actor: User, address_id: int) -> DeliveryAddress:
    org = org_of(actor)
    row = db.session.get(DeliveryAddress, address_id)
    if row is None or org is None or row.organisation_id != org.id:
        raise NotFound(_("Alamat tidak ditemukan."))
    return row


def as_checkout_address(row: DeliveryAddress) -> dict:
    return {
        "name": row.name,
        "phone": row.phone,
        "street": row.street,
        "village": row.village,
        "district": row.district,
        "regency": row.regency_code,
        "province": row.province_code,
        "postal_code": row.postal_code,
    }


# ------------------------------------------------------------------ partnerships


def record_partnership(actor: User, group_slug: str, org_id: int, note: str | None = None) -> Partnership:
    group = group_in_scope(actor, group_slug)  # 403 outside the officer's scope
    org = db.session.get(Organisation, org_id)
    if org is None or not org.is_verified:
        raise NotFound(_("Organisasi tidak ditemukan."))
    if db.session.scalar(
        select(Partnership.id).where(Partnership.group_id == group.id, Partnership.organisation_id == org.id)
    ):
        raise Conflict(_("Kemitraan ini sudah tercatat."))
    note = validate.text(note, {}, "note", max_len=500, required=False)
    row = Partnership(group_id=group.id, organisation_id=org.id, note=note, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    return row


def _repeat_pairs():
    """(group, organisation) pairs with at least two completed orders that count as sales."""

    return repeat_pairs()


def partners_of_group(group: Group) -> list[Organisation]:
    pairs = _repeat_pairs().where(Order.group_id == group.id).subquery()
    ids = set(db.session.scalars(select(pairs.c.organisation_id)))
    ids |= set(db.session.scalars(select(Partnership.organisation_id).where(Partnership.group_id == group.id)))
    return (
        list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)))
        if ids
        else []
    )


def partners_of_org(org: Organisation) -> list[Group]:
    pairs = _repeat_pairs().where(Order.organisation_id == org.id).subquery()
    ids = set(db.session.scalars(select(pairs.c.group_id)))
    ids |= set(db.session.scalars(select(Partnership.group_id).where(Partnership.organisation_id == org.id)))
    return list(db.session.scalars(select(Group).where(Group.id.in_(ids)).order_by(Group.name))) if ids else []
