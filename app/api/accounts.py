from flask import current_app, g
from flask_babel import gettext as _

from app.accounts import passwords, phones, registration, sessions
from app.core.errors import Unauthorized
from app.core.links import external_url
from app.extensions import limiter
from app.groups import services as groups
from app.wholesale.organisations import org_of

from . import schemas
from .base import body, current_token, no_content, reply, route


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@route(
    "/auth/token",
    "POST",
    "Sign in: a bearer token",
    tag="accounts",
    body=schemas.TokenIn,
    response=schemas.TokenOut,
    status=201,
    errors=(401, 422, 429),
)
@limiter.limit(_login_limit)
def create_token():
    data = body(schemas.TokenIn)
    if data["phone"] is not None:
        token, row = _token_by_code(data["phone"], data["code"])
    else:
        token, row = passwords.issue_token(data["email"], data["password"])
    return reply({"token": token, "token_type": "Bearer", "expires_at": row.expires_at.isoformat()}, 201)


def _token_by_code(phone: str, code: str):
    """A number with no account answers as a wrong code does (accounts are made on the site)."""
    user = phones.sign_in_with_code(phone, code)[1]
    if user is None:
        raise Unauthorized(_("Kode salah, atau nomor ini belum punya akun."))
    return passwords.token_for(user)


def _code_limit() -> str:
    return current_app.config["PHONE_CODE_ADDRESS_LIMIT"]


@route(
    "/auth/otp",
    "POST",
    "Send a one-time code to a phone number (sign in with it at POST /auth/token)",
    tag="accounts",
    body=schemas.OtpIn,
    response=schemas.OtpOut,
    status=202,
    errors=(422, 429),
)
@limiter.limit(_code_limit)
def send_code():
    phone = phones.send_code(body(schemas.OtpIn)["phone"])
    return reply({"phone": phone, "expires_in": int(phones.CODE_TTL.total_seconds())}, 202)


@route("/auth/token", "DELETE", "Revoke the token sent", tag="accounts", auth=True, status=204, errors=(401,))
def delete_token():
    sessions.revoke_token(current_token())
    return no_content()


@route(
    "/accounts",
    "POST",
    "Create a buyer's account",
    tag="accounts",
    body=schemas.AccountIn,
    response=schemas.AccountOut,
    status=201,
    errors=(409, 422, 429),
)
@limiter.limit("20 per hour")
def create_account():
    data = body(schemas.AccountIn)
    user = registration.register(
        data["email"],
        data["password"],
        data["name"],
        data.get("phone"),
        confirm_link=lambda token: external_url("accounts.confirm_email", token=token),
    )
    return reply({"id": user.id, "email": user.email, "name": user.name}, 201)


@route("/me", "GET", "The signed-in user", tag="accounts", auth=True, response=schemas.MeOut, errors=(401,))
def me():
    user = g.api_user
    roles = ["buyer"] + ([user.role] if user.role != "user" else [])
    mine = groups.groups_of(user)
    by_group = {m.group_id: m.role for m in user.memberships}
    if mine:
        roles.append("group_member")
    scope = None
    if user.is_officer:
        scope = {"province": user.scope_province, "regency": user.scope_regency}
    return reply(
        {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "phone_verified": user.phone_verified_at is not None,
            "roles": roles,
            "scope": scope,
            "groups": [
                {"slug": x.slug, "name": x.name, "role": by_group.get(x.id, "member"), "status": x.status} for x in mine
            ],
            "organisation": _organisation(user),
        }
    )


def _organisation(user):
    org = org_of(user)
    return (
        None
        if org is None
        else {"id": org.id, "name": org.name, "status": org.status, "payment_terms_days": org.payment_terms_days}
    )
