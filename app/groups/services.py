"""Groups: registration, members, verification, what a member may touch."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import aliased, joinedload

from app.accounts.invitations import invite
from app.accounts.lookup import find_by_email
from app.accounts.models import User
from app.accounts.scope import check_scope, log_decision, reason_given
from app.core import mail, places, validate
from app.core.errors import Conflict, NotFound, ValidationFailed, collect
from app.core.text import slugify
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db

from . import roles, signals
from .labels import MEMBER_ROLE
from .models import BUSINESS_TYPES, GROUP_CLASSES, MEMBER_ROLES, Group, Membership

GROUP_FIELDS = (
    "name",
    "province",
    "regency",
    "district",
    "village",
    "address",
    "business_type",
    "founded_year",
    "member_count",
    "story",
    "whatsapp",
    "group_class",
)


def _clean(data: dict, errors: dict, partial: bool = False) -> dict:
    out: dict = {}

    def has(key: str) -> bool:
        return not partial or key in data

    if has("name"):
        out["name"] = validate.text(data.get("name"), errors, "name", max_len=120, min_len=3)
    official = _place(data, errors, out) if has("regency") or has("province") else None
    for key, size in (("district", 120), ("village", 120), ("address", 255)):
        if has(key):
            out[key] = validate.text(data.get(key), errors, key, max_len=size, required=False)
    if official:
        out["district"] = official  # the kecamatan's name as the data writes it
    if has("business_type"):
        if data.get("business_type") not in BUSINESS_TYPES:
            collect(errors, "business_type", _("Pilih jenis usaha dari daftar."))
        else:
            out["business_type"] = data["business_type"]
    if has("founded_year"):
        out["founded_year"] = validate.integer(
            data.get("founded_year"), errors, "founded_year", low=1970, high=today_wib().year, required=False
        )
    if has("member_count"):
        out["member_count"] = validate.integer(data.get("member_count"), errors, "member_count", low=1, high=10_000)
    if has("story"):
        out["story"] = validate.text(data.get("story"), errors, "story", max_len=5000, required=False)
    if has("whatsapp"):
        out["whatsapp"] = validate.phone(data.get("whatsapp"), errors, "whatsapp")
    if "group_class" in data and data["group_class"]:
        if data["group_class"] not in GROUP_CLASSES:
            collect(errors, "group_class", _("Pilih kelas dari daftar."))
        else:
            out["group_class"] = data["group_class"]
    return out


RESERVED_SLUGS = frozenset({"new"})  # /groups/new is the form: no group's home may be there


def _place(data: dict, errors: dict, out: dict) -> str | None:
    """The kabupaten/kota, in its province; a kecamatan sent with it must be one of its own (its official
    name is answered)."""
    place, wrong = places.pick(data.get("province"), data.get("regency"), data.get("district"))
    for key, message in wrong.items():
        collect(errors, key, message)
    if place.regency is None and not wrong:
        collect(errors, "regency", _("Pilih kabupaten/kota dari daftar."))
    elif place.regency is not None and not wrong:
        out["regency_code"], out["province_code"] = place.regency.code, place.regency.province_code
    return place.district.name if place.district else None


def _unique_slug(name: str) -> str:
    base = slugify(name, max_length=80)
    taken = set(db.session.scalars(select(Group.slug).where(or_(Group.slug == base, Group.slug.like(f"{base}-%")))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def register_group(chair: User, data: dict) -> Group:
    """The caller becomes the chair; the group waits for verification."""
    errors: dict[str, list[str]] = {}
    values = _clean(data, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    group = Group(slug=_unique_slug(values["name"]), status="pending", **values)
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=chair.id, role="chair"))
    db.session.commit()
    return group


def update_group(actor: User, slug: str, data: dict) -> Group:
    group = group_for(actor, slug, roles.EDIT_GROUP)
    errors: dict[str, list[str]] = {}
    values = _clean(data, errors, partial=True)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    moved = any(key in values and values[key] != getattr(group, key) for key in ("name", "regency_code"))
    for key, value in values.items():
        setattr(group, key, value)
    if moved:  # its name and region are words of its products' search documents (the catalog listens)
        db.session.flush()
        signals.group_moved.send(group)
    db.session.commit()
    return group


def membership(user: User | None, group_id: int) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id))


def group_for_member(user: User, slug: str) -> Group:
    """The group, if the user is a member (admins too); else 404, as if it did not exist."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not (user.is_admin or membership(user, group.id)):
        raise NotFound(_("Kelompok tidak ditemukan."))
    return group


def group_for(user: User, slug: str, action: str) -> Group:
    """The group, if the user may do the action there (roles.ACTIONS): 404 outside it, 403 for a member
    whose role may not."""
    group = group_for_member(user, slug)
    roles.require(user, group.id, action)
    return group


def groups_of(user: User) -> list[Group]:
    return list(
        db.session.scalars(select(Group).join(Membership).where(Membership.user_id == user.id).order_by(Group.name))
    )


def _clean_member(email: str, role: str) -> str:
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    if role not in MEMBER_ROLES:
        collect(errors, "role", _("Pilih peran dari daftar: ketua, bendahara, sekretaris atau anggota."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return clean_email


def add_member(actor: User, slug: str, email: str, role: str = "member") -> Membership:
    """A person who has an account joins at once (the demo data; pages and the API invite instead)."""
    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    clean_email = _clean_member(email, role)
    user = find_by_email(clean_email)
    if user is None:
        raise ValidationFailed(
            _("Belum ada akun dengan email ini."),
            {"email": [_("Belum ada akun dengan email ini. Minta anggota mendaftar dulu, lalu tambahkan lagi.")]},
        )
    if membership(user, group.id):
        raise Conflict(_("Orang ini sudah menjadi anggota."), {"email": [_("Orang ini sudah menjadi anggota.")]})
    m = Membership(group_id=group.id, user_id=user.id, role=role)
    db.session.add(m)
    db.session.commit()
    return m


def invite_member(actor: User, slug: str, email: str, role: str, link):
    """A chair invites someone by e-mail; the invitation goes out whether or not the address has an
    account (the chair learns nothing about it), and the person joins on accepting."""

    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    clean_email = _clean_member(email, role)
    if db.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, User.email == clean_email)
    ):
        raise Conflict(_("Orang ini sudah menjadi anggota."), {"email": [_("Orang ini sudah menjadi anggota.")]})
    what = _("%(group)s, sebagai %(role)s", group=group.name, role=MEMBER_ROLE[role])  # the role is in the mail
    return invite(actor, clean_email, "group", group.id, role, what=what, link=link)


def join_by_invitation(user: User, invitation) -> None:
    """Accepting an invitation to a group (in the caller's transaction)."""
    if membership(user, invitation.target_id) is None:
        db.session.add(Membership(group_id=invitation.target_id, user_id=user.id, role=invitation.role or "member"))


def slug_of(group_id: int) -> str:
    return db.session.scalar(select(Group.slug).where(Group.id == group_id)) or ""


def invitation_name(invitation) -> str:
    group = db.session.get(Group, invitation.target_id)
    return group.name if group else ""


def members(group: Group) -> list[Membership]:
    """The chair first, then the treasurer, the secretary and the members, each in the order they joined."""
    rank = case({role: i for i, role in enumerate(MEMBER_ROLES)}, value=Membership.role, else_=len(MEMBER_ROLES))
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))  # one query, however many members
            .where(Membership.group_id == group.id)
            .order_by(rank, Membership.id)
        )
    )


def members_of(actor: User, slug: str) -> list[Membership]:
    """The group's members with their roles, for its members (and admins); 404 for anyone else."""
    return members(group_for_member(actor, slug))


def set_role(actor: User, slug: str, user_id: int, role: str) -> Membership:
    """The chair gives a member another role. A group keeps at least one chair (409), even when two
    chairs step down at once: the group's row is locked and the change is one conditional UPDATE."""
    group = group_for(actor, slug, roles.MANAGE_MEMBERS)
    if role not in MEMBER_ROLES:
        message = _("Pilih peran dari daftar: ketua, bendahara, sekretaris atau anggota.")
        raise ValidationFailed(message, {"role": [message]})
    db.session.scalar(select(Group.id).where(Group.id == group.id).with_for_update())
    target = db.session.scalar(select(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id))
    if target is None:
        raise NotFound(_("Anggota tidak ditemukan."))
    change = update(Membership).where(Membership.id == target.id).values(role=role)
    if role != roles.CHAIR:
        other = aliased(Membership)
        other_chairs = select(func.count(other.id)).where(
            other.group_id == group.id, other.role == roles.CHAIR, other.id != target.id
        )
        change = change.where(or_(Membership.role != roles.CHAIR, other_chairs.scalar_subquery() > 0))
    changed = cast("CursorResult[Any]", db.session.execute(change.execution_options(synchronize_session=False)))
    if changed.rowcount != 1:  # an UPDATE's result counts its rows
        db.session.rollback()
        message = _("Kelompok harus tetap punya ketua: jadikan anggota lain ketua dulu.")
        raise Conflict(message, {"role": [message]})
    db.session.commit()
    db.session.refresh(target)
    return target


def verify_group(actor: User, slug: str) -> Group:
    """An admin, or an officer whose scope holds the group (the decision is logged)."""
    return decide_group(actor, slug, "verified")


def member_emails(group_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email).join(Membership, Membership.user_id == User.id).where(Membership.group_id == group_id)
        )
    )


def group_in_scope(actor: User, slug: str) -> Group:
    """The group, for an admin or an officer whose scope holds it (403 outside, 404 unknown)."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound(_("Kelompok tidak ditemukan."))
    check_scope(actor, group.province_code, group.regency_code)
    return group


def decide_group(actor: User, slug: str, decision: str, reason: str | None = None) -> Group:
    """verified | rejected | suspended | restored."""
    group = group_in_scope(actor, slug)
    allowed = {
        "verified": ("pending", "rejected"),
        "rejected": ("pending",),
        "suspended": ("verified",),
        "restored": ("suspended",),
    }
    if decision not in allowed:
        raise ValidationFailed(_("Keputusan tidak dikenal."))
    if group.status not in allowed[decision]:
        raise Conflict(_("Kelompok berstatus %(s)s.", s=group.status))
    text = reason_given(reason, required=decision in ("rejected", "suspended"))
    group.status = {"restored": "verified"}.get(decision, decision)
    group.status_reason = text if decision in ("rejected", "suspended") else None
    if decision == "verified":
        group.verified_at, group.verified_by_id = utcnow(), actor.id
    log_decision(actor, "group", group.id, decision, text, group.province_code, group.regency_code)
    db.session.flush()
    signals.group_decided.send(group)  # its products come to (or leave) the top of searches
    db.session.commit()
    mail.send(
        member_emails(group.id),
        _("Kelompok %(g)s: %(d)s", g=group.name, d=decision),
        _("Keputusan petugas: %(d)s.", d=decision) + (f"\n{text}" if text else ""),
    )
    return group


def public_group(slug: str) -> Group:
    group = db.session.scalar(select(Group).where(Group.slug == slug, Group.status == "verified"))
    if group is None:
        raise NotFound(_("Kelompok tidak ditemukan."))
    return group


def list_public_groups(
    q: str = "", province: str = "", regency: str = "", business_type: str = "", offset: int = 0, limit: int = 24
) -> tuple[list[Group], bool]:
    stmt = select(Group).where(Group.status == "verified")
    if q:
        stmt = stmt.where(func.lower(Group.name).contains(q.strip().lower(), autoescape=True))
    if province:
        stmt = stmt.where(Group.province_code == province)
    if regency:
        stmt = stmt.where(Group.regency_code == regency)
    if business_type:
        stmt = stmt.where(Group.business_type == business_type)
    rows = list(db.session.scalars(stmt.order_by(Group.name, Group.id).offset(offset).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def update_payout(actor: User, slug: str, bank: str, number: str, name: str) -> Group:
    """The account buyers transfer to when a checkout is for this group alone (the chair or the treasurer)."""
    group = group_for(actor, slug, roles.PAYOUT)
    errors: dict[str, list[str]] = {}
    clean_bank = validate.text(bank, errors, "payout_bank", max_len=60)
    digits = "".join(c for c in (number or "") if c.isdigit())
    if not 6 <= len(digits) <= 20:
        collect(errors, "payout_account_number", _("Nomor rekening 6 sampai 20 angka."))
    clean_name = validate.text(name, errors, "payout_account_name", max_len=120)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    group.payout_bank, group.payout_account_number, group.payout_account_name = clean_bank, digits, clean_name
    db.session.commit()
    return group


def update_pickup_address(actor: User, slug: str, address: str, postal_code: str) -> Group:
    """Where couriers pick the group's parcels up: the street and a postal code of its kecamatan (the
    couriers' rates and pick-ups are asked by postal code)."""
    group = group_for(actor, slug, roles.EDIT_GROUP)
    errors: dict[str, list[str]] = {}
    street = validate.text(address, errors, "address", max_len=255, min_len=5)
    _place, wrong = places.pick(None, group.regency_code, group.district, postal_code)  # of its kecamatan
    postal = (postal_code or "").strip()
    if not (len(postal) == 5 and postal.isascii() and postal.isdigit()):
        collect(errors, "postal_code", _("Kode pos 5 angka."))
    elif "postal_code" in wrong:
        collect(errors, "postal_code", wrong["postal_code"])
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    group.address, group.postal_code = street, postal
    db.session.commit()
    return group
