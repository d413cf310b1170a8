"""The platform's own parts, before any area: settings checks, logs and metrics, extensions, errors,
security headers, uploaded media, template helpers that know no area, the queue's commands; and last,
in front of Flask, the page cache and the host check (`finish`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, abort, has_request_context, redirect, request, send_from_directory, session, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event as sa_event

from config import BASE_DIR

from ..extensions import babel, csrf, db, limiter, login_manager, migrate
from . import cache, inputs, links, ops, page_cache, regions, whatsapp_hook
from .cli import jobs_cli, scheduler, storage_cli, worker
from .forms import field_errors
from .http import register_error_handlers
from .images_url import photo_src, photo_srcset
from .inputs import link_args
from .jobs import OutboxJob  # noqa: F401  (the metadata knows the outbox)
from .labels import label
from .money import format_rupiah
from .qr import svg_data_uri
from .schema import include_object
from .storage import is_private, plain_key, storage
from .timefmt import local, long_date, month_name
from .whatsapp import WhatsAppMessage  # noqa: F401  (and the WhatsApp messages)

# pages that show an address, an order or a cart, whoever asks (a guest's checkout link too, and her complaint)
PERSONAL_BLUEPRINTS = {"orders", "complaints", "accounts", "wholesale", "officers", "groups", "sales"}


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (PASAR_ENV=production)")
    app.config["PUBLIC_URL"] = links.check_public_url(app.config.get("PUBLIC_URL"))  # required in production too
    ops.register(app)  # request ids, JSON logs, /healthz, /readyz, /metrics
    cache.register()  # catalog changes bump the cached fragments' version
    _extensions(app)
    inputs.register(app)  # the bounded id converter must be in place before the blueprints' rules
    register_error_handlers(app)
    _template_helpers(app)
    _security_headers(app)
    for command in (storage_cli, jobs_cli, worker, scheduler):
        app.cli.add_command(command)
    _media(app)
    app.register_blueprint(whatsapp_hook.bp)  # Meta's status webhook for the WhatsApp messages we send
    if app.testing:
        app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_state)


def finish(app: Flask) -> None:
    """After every area: what stands in front of Flask."""
    page_cache.install(app)  # anonymous pages and API reads from Redis, in front of Flask (PUBLIC_URL's host only)
    links.install(app)  # a request for another host than PUBLIC_URL's (or EXTRA_TRUSTED_HOSTS) is refused first


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


def _extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(BASE_DIR / "migrations"),
        compare_type=True,
        render_as_batch=True,
        include_object=include_object,
    )
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(BASE_DIR / "app" / "translations")
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Silakan masuk untuk melanjutkan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa_event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: readers do not block the writer (WAL), a busy writer is waited for, foreign keys hold."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _template_helpers(app: Flask) -> None:
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["localtime"] = local
    app.jinja_env.filters["isotime"] = lambda text, province=None: local(datetime.fromisoformat(text), province)
    app.jinja_env.filters["longdate"] = long_date
    app.jinja_env.filters["number"] = format_decimal  # 16250: "16.250" on Indonesian pages, "16,250" on English
    app.jinja_env.filters["monthname"] = month_name
    app.jinja_env.globals.update(
        regions=regions,
        current_locale=lambda: str(get_locale()),
        photo_src=photo_src,
        photo_srcset=photo_srcset,
        label=label,
        field_errors=field_errors,
        timedelta=timedelta,
        qr_image=svg_data_uri,
        link_args=link_args,  # the query string for pagers, without url_for's own arguments
    )


def _security_headers(app: Flask) -> None:
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
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains"
            )
        if "Cache-Control" not in response.headers and _personal(request):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _media_origin(app: Flask) -> str:
    """ " https://media.example" when photos come from a bucket or CDN of their own (CSP's img-src)."""
    base = urlsplit(storage().url(""))
    return f" {base.scheme}://{base.netloc}" if base.scheme and base.netloc else ""


def _personal(req) -> bool:
    """Whether a response may hold personal data: anything for a signed-in user or a bearer token, for a
    visitor whose session holds more than the language (a cart, a message), and the buying, account and
    back-office pages. Those are never stored by a browser or a proxy."""
    if req.endpoint in (None, "static", "media"):
        return False
    if req.blueprint in PERSONAL_BLUEPRINTS:
        return True
    return session.modified or not page_cache.shared_visitor()  # modified: a message shown, say


def _media(app: Flask) -> None:
    """Uploaded photos. In production a web server or object storage serves MEDIA_URL instead."""

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
