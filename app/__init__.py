"""Pasar UPPKS: the marketplace of Indonesia's UPPKS groups."""
from __future__ import annotations

import logging

from flask import Flask, has_request_context, request, send_from_directory, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from config import BASE_DIR, config_for

from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: str | type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if isinstance(config, dict):
        app.config.from_object(config_for(config.get("PASAR_ENV", "test")))
        app.config.update(config)
    elif isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_for(config))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (PASAR_ENV=production)")
    from .core import links
    app.config["PUBLIC_URL"] = links.check_public_url(app.config.get("PUBLIC_URL"))  # required in production too

    from .core import cache, ops
    ops.register(app)  # request ids, JSON logs, /healthz, /readyz, /metrics
    cache.register()  # catalog changes bump the cached fragments' version
    register_extensions(app)
    from .core import inputs
    inputs.register(app)  # the bounded id converter must be in place before the blueprints' rules
    register_blueprints(app)
    register_payment_methods()
    register_errors(app)
    register_template_helpers(app)
    register_cli(app)
    register_media(app)
    from .core import page_cache
    page_cache.install(app)  # anonymous pages and API reads from Redis, in front of Flask (PUBLIC_URL's host only)
    links.install(app)  # a request for another host than PUBLIC_URL's (or EXTRA_TRUSTED_HOSTS) is refused first
    if app.testing:
        app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_state)
    return app


def _fresh_request_state() -> None:
    """Tests keep one app context open around many requests, so `g` (signed-in user, rate-limit
    state) and the session's identity map would carry over; in production every request has its
    own. Start each test request as a real one would."""
    from flask import g

    for key in list(g):
        g.pop(key)
    db.session.expire_all()


def select_locale() -> str:
    if not has_request_context():
        return "id"
    wanted = request.args.get("lang")
    if wanted in ("id", "en"):
        session["lang"] = wanted
        return wanted
    if session.get("lang") in ("id", "en"):
        return session["lang"]
    return "id"


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the metadata knows every table)
    from .accounts.services import load_session_user
    from .core.schema import include_object

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), compare_type=True,
                     render_as_batch=True, include_object=include_object)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(BASE_DIR / "app" / "translations"))
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Silakan masuk untuk melanjutkan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: readers do not block the writer (WAL), a busy writer is waited for, foreign keys hold."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .api import bp as api_bp
    from .catalog.views import bp as catalog_bp
    from .events.views import bp as events_bp
    from .export.views import bp as export_bp
    from .groups.views import bp as groups_bp
    from .officers.views import bp as officers_bp
    from .orders.views import bp as orders_bp
    from .sales.views import bp as sales_bp
    from .wholesale.views import bp as wholesale_bp

    app.register_blueprint(catalog_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(officers_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(wholesale_bp)
    app.register_blueprint(sales_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(export_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API takes bearer tokens, never the session cookie


def register_payment_methods() -> None:
    """The ways to pay and the buyers' organisations, plugged into checkout (app/orders/gateway.py)."""
    from .events.services import pickup_points
    from .events.stand import register as register_stand
    from .orders.shipping import register_pickup_points
    from .payments.midtrans import register_methods as register_midtrans
    from .payments.services import register_methods
    from .wholesale.invoices import register_method
    from .wholesale.services import plug_into_checkout

    register_methods()
    register_midtrans()  # QRIS, virtual accounts, GoPay, ShopeePay (offered when MIDTRANS_SERVER_KEY is set)
    register_method()
    register_stand()  # paying at the stand, for pick-up at an event
    register_pickup_points(pickup_points)
    plug_into_checkout()


def register_errors(app: Flask) -> None:
    from .core.http import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from .catalog import permits
    from .core import regions
    from .core.images_url import photo_src, photo_srcset
    from .core.forms import field_errors
    from .core.inputs import link_args
    from .core.labels import label
    from .core.qr import svg_data_uri
    from .core.money import format_rupiah
    from datetime import datetime, timedelta

    from .core.timefmt import local, long_date, month_name
    from .export.services import country_name, usd
    from .orders.cart import count as cart_count
    from .orders.notify import payment_line
    from .orders.labels import MOVE_LABELS, STATUS_LABELS

    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["localtime"] = local
    app.jinja_env.filters["isotime"] = lambda text, province=None: local(datetime.fromisoformat(text), province)
    app.jinja_env.filters["longdate"] = long_date
    app.jinja_env.filters["monthname"] = month_name
    app.jinja_env.globals.update(
        regions=regions,
        permit_label=permits.label,
        permit_status_label=lambda s: str(permits.STATUS_LABELS.get(s, s)),
        current_locale=lambda: str(get_locale()),
        photo_src=photo_src,
        status_label=lambda s: str(STATUS_LABELS.get(s, s)),
        move_label=lambda s: str(MOVE_LABELS.get(s, s)),
        cart_count=cart_count,
        has_business=_has_business,
        photo_srcset=photo_srcset,
        label=label,
        field_errors=field_errors,
        timedelta=timedelta,
        usd=usd,  # rupiah -> US dollars at a given rate (export quotes)
        qr_image=svg_data_uri,
        payment_line=payment_line,
        country_name=country_name,
        link_args=link_args,  # the query string for pagers, without url_for's own arguments
    )

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.headers.setdefault(
                "Content-Security-Policy",
                f"default-src 'self'; img-src 'self' data:{_media_origin(app)}; style-src 'self'; script-src 'self'; "
                "form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
            )
            response.headers.setdefault("Vary", "Cookie")
        if app.config.get("HSTS_SECONDS"):
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        if "Cache-Control" not in response.headers and _personal(request):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _media_origin(app: Flask) -> str:
    """" https://media.example" when photos come from a bucket or CDN of their own (CSP's img-src)."""
    from urllib.parse import urlsplit

    from .core.storage import storage

    base = urlsplit(storage().url(""))
    return f" {base.scheme}://{base.netloc}" if base.scheme and base.netloc else ""


# pages that show an address, an order or a cart, whoever asks (a guest's checkout link too)
PERSONAL_BLUEPRINTS = {"orders", "accounts", "wholesale", "officers", "groups", "sales"}


def _personal(req) -> bool:
    """Whether a response may hold personal data: anything for a signed-in user or a bearer token, for a
    visitor whose session holds more than the language (a cart, a message), and the buying, account and
    back-office pages. Those are never stored by a browser or a proxy."""
    from .core.page_cache import shared_visitor

    if req.endpoint in (None, "static", "media"):
        return False
    if req.blueprint in PERSONAL_BLUEPRINTS:
        return True
    return session.modified or not shared_visitor()  # modified: a message shown, say


def _has_business(user) -> bool:
    """Staff of a business buyer get a header link to their business page."""
    from .wholesale.services import org_of

    return org_of(user) is not None


def register_cli(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .core.cli import jobs_cli, scheduler, storage_cli, worker
    from .demo import demo_cli
    from .orders.cli import orders_cli, permits_cli
    from .payments.cli import payments_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(permits_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(worker)
    app.cli.add_command(scheduler)


def register_media(app: Flask) -> None:
    """Uploaded photos. In production a web server or object storage serves MEDIA_URL instead."""

    from flask import abort, redirect, url_for

    from .core.storage import is_private, plain_key

    @app.get("/favicon.ico")
    def favicon():
        """For agents that ask for it without reading the page's <link rel="icon">."""
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get(app.config["MEDIA_URL"].rstrip("/") + "/<path:key>")
    def media(key: str):
        if not plain_key(key) or is_private(key):
            abort(404)  # no dot segments; proofs and scans go through views that check who asks
        response = send_from_directory(app.config["MEDIA_ROOT"], key, max_age=31536000)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
