from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core.errors import DomainError
from app.core.forms import apply_errors
from app.extensions import limiter

from . import services
from .forms import LoginForm, PasswordForm, RegisterForm

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("catalog.home")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=lambda: "login:" + (request.form.get("email") or "").lower())
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            form.form_errors.append(exc.detail)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.password.data, form.name.data, form.phone.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            login_user(user)
            flash(_("Akun dibuat. Selamat datang!"), "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("catalog.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            login_user(current_user._get_current_object())  # the session id changed with the password
            flash(_("Kata sandi diganti."), "success")
            return redirect(url_for("accounts.account"))
    from app.groups.services import groups_of

    status = 422 if request.method == "POST" else 200
    return render_template("accounts/account.html", form=form, groups=groups_of(current_user)), status
