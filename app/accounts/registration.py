"""Registration: an account from the API or the registration page, the confirmation of its address,
and operators' accounts (`flask users create`)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core import mail, regions, validate
from app.core.errors import Conflict, ValidationFailed, collect
from app.core.types import utcnow
from app.extensions import db

from .lookup import find_by_email
from .models import ROLES, User
from .passwords import clean_password, hash_password
from .sessions import CONFIRM_TTL, email_token, link_user, new_email_token, use_up_links


def _clean_account(email: str, password: str, name: str, phone: str | None) -> tuple[str, str, str | None]:
    """The address, name and phone of a new account, and a password good enough; 422 otherwise."""
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    clean_name = validate.text(name, errors, "name", max_len=120)
    clean_phone = validate.phone(phone, errors)
    clean_password(password, errors, email=clean_email)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    assert clean_name is not None  # a required text is None only with an error, raised above
    return clean_email, clean_name, clean_phone


def register(email: str, password: str, name: str, phone: str | None = None, *, confirm_link=None) -> User:
    """An account that works at once (the API's, API.md) but whose address is not proven: its purchases
    count in no sales figure until the link e-mailed to it (`confirm_link(token)` makes the URL) is opened."""
    clean_email, clean_name, clean_phone = _clean_account(email, password, name, phone)
    if find_by_email(clean_email):
        raise Conflict(_("Email ini sudah terdaftar."), {"email": [_("Email ini sudah terdaftar.")]})
    user = User(
        email=clean_email,
        name=clean_name,
        phone=clean_phone,
        password_hash=hash_password(password),
        email_confirmed_at=utcnow(),
    )  # the API's accounts work at once (API.md)
    db.session.add(user)
    db.session.flush()
    token = new_email_token(user, "confirm", CONFIRM_TTL) if confirm_link is not None else None
    db.session.commit()
    if token is not None:
        mail.send(
            user.email,
            _("Konfirmasi email akun Pasar UPPKS"),
            _(
                "Akun Pasar UPPKS Anda sudah bisa dipakai. Buka tautan ini untuk membuktikan bahwa alamat email "
                "ini milik Anda (berlaku 7 hari):\n%(link)s",
                link=confirm_link(token),
            ),
        )
    return user


# ------------------------------------------------------------------ registration on the site


def start_registration(email: str, password: str, name: str, phone: str | None, *, confirm_link, sign_in_link) -> None:
    """The registration page: the answer is the same whether or not the address has an account, so
    the page does not tell who has one. A new address gets an account that works once the link in
    the e-mail is opened; an address that has an account gets an e-mail saying so."""
    clean_email, clean_name, clean_phone = _clean_account(email, password, name, phone)
    existing = find_by_email(clean_email)
    if existing is not None and existing.email_confirmed_at is not None:
        hash_password(password)  # about as slow as the other path
        mail.send(
            existing.email,
            _("Anda sudah punya akun Pasar UPPKS"),
            _(
                "Seseorang (semoga Anda) mencoba mendaftar dengan alamat ini, padahal akunnya sudah ada.\n"
                'Masuk di %(link)s, atau pakai "Lupa kata sandi?" di sana.\n\nJika bukan Anda, abaikan email ini.',
                link=sign_in_link(),
            ),
        )
        return
    if existing is None:
        existing = User(
            email=clean_email,
            name=clean_name,
            phone=clean_phone,
            email_confirmed_at=None,
            password_hash=hash_password(password),
        )
        db.session.add(existing)
        db.session.flush()
    else:  # registered before and never confirmed: the newest details count
        existing.name, existing.phone, existing.password_hash = clean_name, clean_phone, hash_password(password)
    token = new_email_token(existing, "confirm", CONFIRM_TTL)
    db.session.commit()
    mail.send(
        existing.email,
        _("Konfirmasi email akun Pasar UPPKS"),
        _(
            "Selamat datang di Pasar UPPKS! Buka tautan ini untuk mengaktifkan akun Anda (berlaku 7 hari):\n%(link)s",
            link=confirm_link(token),
        ),
    )


def confirm_email(token: str) -> User:
    row = email_token(token, "confirm")
    user = link_user(row)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.email_proven_at = user.email_proven_at or utcnow()
    use_up_links(user, "confirm")
    db.session.commit()
    return user


# ------------------------------------------------------------------ adding or changing the address


def start_email_change(user: User, email: str, link) -> str:
    """A link to the new address (`link(token)` makes the URL); the account's address changes when it is
    opened (an account made with a phone number adds one this way)."""
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    if not errors and clean_email == user.email:
        errors["email"] = [_("Ini sudah email akun Anda.")]
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    token = new_email_token(user, "change_email", CONFIRM_TTL, new_email=clean_email)
    db.session.commit()
    mail.send(
        clean_email,
        _("Konfirmasi email baru akun Pasar UPPKS"),
        _(
            "Buka tautan ini untuk memakai alamat ini di akun Pasar UPPKS %(name)s (berlaku 7 hari):\n%(link)s\n\n"
            "Jika bukan Anda, abaikan email ini.",
            name=user.name,
            link=link(token),
        ),
    )
    return clean_email


def confirm_email_change(token: str) -> User:
    row = email_token(token, "change_email")  # 404 for a used or expired link
    user = link_user(row)
    holder = find_by_email(row.new_email or "")
    if holder is not None and holder.id != user.id:
        raise Conflict(_("Alamat email ini sudah dipakai akun lain."))
    user.email = row.new_email
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.email_proven_at = utcnow()
    use_up_links(user, "change_email")
    db.session.commit()
    return user


# ------------------------------------------------------------------ operators


def create_operator(
    email: str, role: str, password: str, province: str | None = None, regency: str | None = None
) -> User:
    """`flask users create`: an admin or an officer (scoped to the nation, a province or a regency)."""
    errors: dict[str, list[str]] = {}
    clean_email = validate.email(email, errors)
    if role not in ROLES or role == "user":
        collect(errors, "role", "role must be admin or officer")
    clean_password(password, errors, email=clean_email)
    if province and not regions.province(province):
        collect(errors, "province", f"unknown province code {province!r} (see GET /api/v1/regions)")
    if regency:
        reg = regions.regency(regency)
        if reg is None:
            collect(errors, "regency", f"unknown regency code {regency!r}")
        elif province and reg.province_code != province:
            collect(errors, "regency", "regency is not in that province")
        elif reg:
            province = reg.province_code
    if errors:
        raise ValidationFailed("invalid values", errors)
    user = find_by_email(clean_email)
    if user is None:
        user = User(email=clean_email, name=clean_email.split("@")[0], password_hash="", email_confirmed_at=utcnow())
        db.session.add(user)
    user.email_proven_at = user.email_proven_at or utcnow()  # the operator vouches for the address
    user.role = role
    user.password_hash = hash_password(password)
    user.scope_province = province if role == "officer" else None
    user.scope_regency = regency if role == "officer" else None
    db.session.commit()
    return user
