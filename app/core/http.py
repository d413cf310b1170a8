"""Error handling for pages and for the API (RFC 9457 problem documents)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

from .errors import DomainError
from .links import origin_of, public_origin
from .ops import request_id
from .storage import storage

log = logging.getLogger(__name__)


def is_api() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str = "", errors: dict | None = None, headers: dict | None = None):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail or title}

    if request_id():
        body["request_id"] = request_id()
    if errors:
        body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def cross_site_form() -> bool:
    """Whether a form POST came from another site: Fetch Metadata (Sec-Fetch-Site) where the browser
    sends it, else the Origin (or Referer) against PUBLIC_URL's origin: scheme, host and port, so
    http://pasar.example is not https://pasar.example. For the few forms anonymous visitors send
    from shared, cached pages (add to cart), which therefore carry no CSRF token of their own. A client
    that sends none of these headers (an old browser, a script) is let through: such a request cannot
    come from another site's page in a browser that would send them."""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return False
    return origin_of(origin) != public_origin()  # "null" and anything unreadable have no origin


def local_path(target: str | None) -> str | None:
    """A path on this site taken from a client (?next=, the Referer), judged as a browser will read it;
    None when it is anything else. Browsers drop tab, CR and LF from URLs and treat a backslash as a
    slash, so any of those (or other controls, or spaces) is refused rather than cleaned; an absolute URL
    counts only when its host is this one (then its path and query are kept); what cannot be parsed is
    refused (urlsplit raises ValueError on "http://[::1")."""
    if not target or not target.isprintable() or any(c in target for c in " \\") or len(target) > 2000:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if origin_of(target) != public_origin():
            return None
        path = parts.path or "/"
        return (
            path + ("?" + parts.query if parts.query else "")
            if path.startswith("/") and not path.startswith("//")
            else None
        )
    return target if target.startswith("/") and not target.startswith("//") else None


def back(default: str):
    """A redirect to the page the form was sent from (the Referer) when it is a page of this site, else
    to `default`; never to another site, and never a 500 for a Referer that cannot be parsed."""
    from flask import redirect

    return redirect(local_path(request.referrer) or default)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        retry_after = getattr(exc, "retry_after", None)  # TooManyAttempts
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        if is_api():
            return problem(exc.status, exc.title, exc.detail, exc.errors, headers=headers)
        response = app.make_response(
            (render_template("errors/error.html", status=exc.status, message=exc.detail or exc.title), exc.status)
        )
        response.headers.update(headers)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman dan coba lagi.")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        headers = {}
        if status == 429:
            retry = getattr(exc, "retry_after", None) or _retry_after(exc)
            if retry:
                headers["Retry-After"] = str(retry)
        if status == 405 and exc.get_response().headers.get("Allow"):
            headers["Allow"] = exc.get_response().headers["Allow"]
        messages = {
            400: _("Permintaan tidak dapat dibaca."),
            401: _("Perlu masuk terlebih dahulu."),
            403: _("Anda tidak berhak membuka halaman ini."),
            404: _("Halaman tidak ditemukan."),
            405: _("Metode tidak diizinkan."),
            413: _("Berkas terlalu besar."),
            415: _("Jenis isi tidak didukung."),
            429: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
        }
        message = messages.get(status, exc.description or exc.name)
        if is_api():
            return problem(status, exc.name, str(message), headers=headers)
        response = app.make_response((render_template("errors/error.html", status=status, message=message), status))
        response.headers.update(headers)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)

        db.session.rollback()  # a failed transaction would make the error page itself fail
        message = _("Terjadi kesalahan di server. Coba lagi nanti.")
        if is_api():
            return problem(500, "Internal Server Error", str(message))
        return render_template("errors/error.html", status=500, message=message), 500


def _retry_after(exc) -> int | None:
    try:
        resp = exc.get_response()
        value = resp.headers.get("Retry-After")
        return int(value) if value else 60
    except Exception:
        return 60


def send_private(key: str | None):
    """A private document (a proof, a scan) to someone a service has already allowed: never cached."""
    from flask import abort, make_response

    store = storage()
    if not key or not store.exists(key):
        abort(404)
    url = store.private_url(key)
    if url is not None:  # object storage: a presigned URL that expires in minutes, to this person only
        from flask import redirect

        response = redirect(url, 302)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response = make_response(store.read(key))
    response.mimetype = "image/webp"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response
