"""The pages of accounts by phone number: "Masuk dengan nomor HP" (number -> code -> signed in), the
sign-up by phone (name and number -> code), the name a newly proven number is asked for, and the
account page's forms to add or change the number or the e-mail address. The number waiting for its code
is kept in the session cookie (signed), never in the URL."""

from __future__ import annotations

import time

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError, ValidationFailed
from app.core.forms import apply_errors
from app.core.http import local_path
from app.core.links import external_url
from app.extensions import limiter

from . import phones, registration
from .forms import CodeForm, EmailForm, NameForm, PhoneForm, PhoneSignUpForm
from .views import _landing, _sign_in, bp

FLOW = "phone_sign_in"  # {"phone": E.164, "name": for a sign-up, "next": a local path}
PROVEN = "phone_proven"  # {"phone": E.164, "at": epoch seconds, "next": …}: a number proven, no account yet
CHANGE = "phone_change"  # the new number a signed-in account is proving


def _code_limit() -> str:
    return current_app.config["PHONE_CODE_ADDRESS_LIMIT"]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _page(template: str, status: int | None = None, **context):
    return render_template(template, **context), status or (422 if request.method == "POST" else 200)


def _ask_number(form, template: str):
    """Send the code and go to the code page; the same whether or not the number has an account (429, with
    Retry-After, once the number or this address had its codes)."""
    if not form.validate_on_submit():
        return _page(template, form=form)
    try:
        phone = phones.send_code(form.phone.data)
    except DomainError as exc:
        apply_errors(form, exc)
        response = make_response(*_page(template, 429 if exc.status == 429 else None, form=form))
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
        return response
    name = form.name.data if "name" in form else None
    session[FLOW] = {"phone": phone, "name": name, "next": local_path(request.args.get("next"))}
    return redirect(url_for("accounts.phone_code"))


@bp.route("/login/phone", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])  # per client address; per number: phones.send_code
def phone_login():
    return _ask_number(PhoneForm(), "accounts/phone_login.html")


@bp.route("/register/phone", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])
def phone_register():
    return _ask_number(PhoneSignUpForm(), "accounts/phone_register.html")


def _signed_in(user, next_path: str | None):
    _sign_in(user)
    flash(_("Selamat datang, %(name)s.", name=user.name), "success")
    return redirect(next_path or _landing(user))


@bp.route("/login/phone/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def phone_code():
    flow = session.get(FLOW)
    if not flow:
        return redirect(url_for("accounts.phone_login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            phone, user = phones.sign_in_with_code(flow["phone"], form.code.data)
            if user is None and flow.get("name"):
                user = phones.create_account(phone, flow["name"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session.pop(FLOW, None)
            if user is not None:
                return _signed_in(user, flow.get("next"))
            session[PROVEN] = {"phone": phone, "at": int(time.time()), "next": flow.get("next")}
            return redirect(url_for("accounts.phone_name"))
    return _page("accounts/phone_code.html", form=form, phone=phones.display(flow["phone"]))


@bp.post("/login/phone/resend")
@limiter.limit(_code_limit)
def phone_resend():
    flow = session.get(FLOW)
    if not flow:
        return redirect(url_for("accounts.phone_login"))
    try:
        phones.send_code(flow["phone"])
    except DomainError as exc:
        flash(exc.detail, "error")
    else:
        flash(_("Kode baru sudah dikirim. Kode yang lama tidak berlaku lagi."), "info")
    return redirect(url_for("accounts.phone_code"))


@bp.route("/register/phone/name", methods=["GET", "POST"])
def phone_name():
    """A number just proven that has no account: her name, and the account is made."""
    proven = session.get(PROVEN)
    if not proven or time.time() - proven["at"] > phones.PROOF_TTL.total_seconds():
        session.pop(PROVEN, None)
        return redirect(url_for("accounts.phone_login"))
    form = NameForm()
    if form.validate_on_submit():
        try:
            user = phones.create_account(proven["phone"], form.name.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session.pop(PROVEN, None)
            return _signed_in(user, proven.get("next"))
    return _page("accounts/phone_name.html", form=form, phone=phones.display(proven["phone"]))


# ------------------------------------------------------------------ the account page: number and e-mail


@bp.post("/account/phone")
@login_required
@limiter.limit(_code_limit)
def change_phone():
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            session[CHANGE] = phones.start_change(current_user, form.phone.data)
        except DomainError as exc:
            flash(exc.detail, "error")
            return redirect(url_for("accounts.account") + "#phone")
        return redirect(url_for("accounts.confirm_phone"))
    flash(_("Masukkan nomor HP."), "error")
    return redirect(url_for("accounts.account") + "#phone")


@bp.route("/account/phone/code", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def confirm_phone():
    phone = session.get(CHANGE)
    if not phone:
        return redirect(url_for("accounts.account") + "#phone")
    form = CodeForm()
    if form.validate_on_submit():
        try:
            phones.finish_change(current_user, phone, form.code.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session.pop(CHANGE, None)
            flash(_("Nomor HP akun Anda sekarang %(phone)s.", phone=phones.display(phone)), "success")
            return redirect(url_for("accounts.account") + "#phone")
    return _page("accounts/phone_code.html", form=form, phone=phones.display(phone), changing=True)


@bp.post("/account/email")
@login_required
@limiter.limit("10 per hour")
def change_email():
    form = EmailForm()
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("Masukkan alamat email."))
        address = registration.start_email_change(
            current_user, form.email.data, lambda token: external_url("accounts.confirm_email_change", token=token)
        )
    except DomainError as exc:
        flash(exc.errors.get("email", [exc.detail])[0] if exc.errors else exc.detail, "error")
    else:
        flash(
            _("Tautan konfirmasi sudah dikirim ke %(email)s. Alamat berganti setelah tautannya dibuka.", email=address),
            "info",
        )
    return redirect(url_for("accounts.account") + "#email")


@bp.get("/account/email/confirm/<token>")
def confirm_email_change(token: str):
    user = registration.confirm_email_change(token)  # 404 for a used or expired link
    flash(_("Email akun %(name)s sekarang %(email)s.", name=user.name, email=user.email), "success")
    return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.login"))
