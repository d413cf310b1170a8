import secrets

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core.errors import DomainError, ValidationFailed
from app.core.forms import apply_errors, attempt
from app.core.http import local_path
from app.core.links import external_url
from app.extensions import limiter
from app.groups import services
from app.groups.services import groups_of, slug_of
from app.wholesale import organisations

from . import contact, invitations, lookup, passwords, registration, sessions
from .forms import ForgotForm, InvitationAccountForm, LoginForm, PasswordForm, RegisterForm, ResetForm

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None, default: str = "catalog.home") -> str:
    """A path on this site (app.core.http.local_path), else the default page."""
    return local_path(target) or url_for(default)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


DEVICE_COOKIE = "pasar_device"


def _device_id() -> str | None:
    return request.cookies.get(DEVICE_COOKIE)


def _sign_in(user, remember: bool = False):
    """A new server-side session for this browser, in the cookies; the browser is remembered as a
    device of the account (the per-address sign-in limit does not lock its owner out)."""
    device = _device_id() or secrets.token_urlsafe(24)
    sessions.start_session(user, request.user_agent.string, device)
    login_user(user, remember=remember)

    @after_this_request
    def remember_device(response):
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=2 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])  # per IP; the per-address limit is the service's (every way in)
def login():
    form = LoginForm()
    status, retry_after = (422 if request.method == "POST" else 200), None
    if form.validate_on_submit():
        try:
            user = passwords.authenticate(form.email.data, form.password.data, _device_id())
        except DomainError as exc:
            form.form_errors.append(exc.detail)
            if exc.status == 429:  # the address had too many wrong passwords (a wrong one is 422, as any form)
                status, retry_after = 429, getattr(exc, "retry_after", None)
        else:
            _sign_in(user, remember=form.remember.data)
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return redirect(local_path(request.args.get("next")) or _landing(user))
    response = make_response(render_template("accounts/login.html", form=form), status)
    if status == 429 and retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _landing(user) -> str:
    """Where a role starts its work after signing in, when no page asked for it: officers at their queue,
    a group's member at her group's home, anyone else at the shop."""
    if user.is_officer or user.is_admin:
        return url_for("officers.queue")
    return my_group_home(user) or url_for("catalog.home")


def my_group_home(user) -> str | None:
    """Where "Kelompok saya" leads: the home of her group; for a member of several, the home of the one she
    joined first (its page switches to the others). None for someone in no group. (Her memberships come
    loaded with her account: no query.)"""
    if not user.is_authenticated or not user.memberships:
        return None
    first = min(user.memberships, key=lambda m: m.id)
    return url_for("sales.group_home", slug=first.group.slug)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            registration.start_registration(
                form.email.data,
                form.password.data,
                form.name.data,
                form.phone.data,
                confirm_link=lambda token: external_url("accounts.confirm_email", token=token),
                sign_in_link=lambda: external_url("accounts.login"),
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            # the same page whether or not the address had an account: the e-mail says which
            return render_template("accounts/check_email.html", email=lookup.normalise_email(form.email.data))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.get("/register/confirm/<token>")
def confirm_email(token: str):
    user = registration.confirm_email(token)  # 404 for a used or expired link
    _sign_in(user)
    flash(_("Email terkonfirmasi. Selamat datang, %(name)s!", name=user.name), "success")
    return redirect(url_for("catalog.home"))


def invitation_link(token: str) -> str:
    return external_url("accounts.invitation", token=token)


def _area(kind: str):
    """The service that owns what an invitation joins."""
    if kind == "group":
        return services

    return organisations


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def invitation(token: str):
    row = invitations.invitation_for(token)  # 404 for a used or expired invitation
    area = _area(row.kind)
    form = InvitationAccountForm()
    has_account = lookup.find_by_email(row.email) is not None
    if request.method == "POST":
        try:
            if current_user.is_authenticated:
                invitations.accept_invitation(token, current_user, area.join_by_invitation)
            elif form.validate_on_submit():
                user = invitations.join_as_new(
                    token, form.name.data, form.password.data, form.phone.data, area.join_by_invitation
                )
                _sign_in(user)
            else:
                raise ValidationFailed(_("Periksa isian yang ditandai."))
        except DomainError as exc:
            if exc.status == 404:
                raise
            apply_errors(form, exc)
        else:
            flash(_("Selamat bergabung dengan %(what)s.", what=area.invitation_name(row)), "success")
            return redirect(_joined_page(row))
    status = 422 if request.method == "POST" else 200
    response = make_response(
        render_template(
            "accounts/invitation.html",
            invitation=row,
            what=area.invitation_name(row),
            form=form,
            has_account=has_account,
        ),
        status,
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


def _joined_page(row) -> str:
    """Where a person lands after joining: the group's home, or the business page."""
    if row.kind == "group":
        return url_for("sales.group_home", slug=slug_of(row.target_id))
    return url_for("wholesale.dashboard")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit(
    "3 per hour", methods=["POST"], key_func=lambda: "reset:" + lookup.normalise_email(request.form.get("email"))
)
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data, lambda token: external_url("accounts.reset_password", token=token))
        # the same answer whether or not the address has an account
        flash(
            _("Jika alamat itu terdaftar, tautan untuk mengatur ulang kata sandi sudah kami kirim. Berlaku satu jam."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str):
    passwords.reset_for(token)  # 404 for a used or expired link
    form = ResetForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(token, form.new_password.data)
        except DomainError as exc:
            if exc.status == 404:
                raise
            apply_errors(form, exc)
        else:
            logout_user()
            flash(_("Kata sandi baru tersimpan dan semua perangkat sudah dikeluarkan. Silakan masuk."), "success")
            return redirect(url_for("accounts.login"))
    status = 422 if request.method == "POST" else 200
    response = make_response(render_template("accounts/reset.html", form=form), status)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        sessions.end_session(current_user)
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("catalog.home"))


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions():
    sessions.end_all_sessions(current_user)
    logout_user()
    flash(_("Anda sudah keluar dari semua perangkat."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    sessions.end_other_session(current_user, session_id)
    flash(_("Perangkat itu sudah dikeluarkan."), "info")
    return redirect(url_for("accounts.account") + "#devices")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordForm()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            passwords.change_password(current_user, form.current_password.data, form.new_password.data, _device_id())
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            flash(_("Kata sandi diganti. Perangkat lain sudah dikeluarkan."), "success")
            return redirect(url_for("accounts.account"))

    return render_template(
        "accounts/account.html",
        form=form,
        whatsapp_number=contact.whatsapp_number(current_user),
        groups=groups_of(current_user),
        sessions=sessions.sessions_of(current_user),
        is_current=sessions.is_current,
    ), status


@bp.post("/account/notices")
@login_required
def notices():
    """How she wants notices: WhatsApp, e-mail or both."""
    attempt(lambda: contact.set_notify_by(current_user, request.form.get("notify_by", "")), _("Pilihan disimpan."))
    return redirect(url_for("accounts.account") + "#notices")
