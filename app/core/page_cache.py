"""A shared cache of anonymous pages and API reads in Redis, in front of the app (a WSGI middleware),
kept the way a CDN keeps pages: only what the app marked public.

- A view opts in with `@public_page`: for a visitor who is not signed in and sent no bearer token, a
  200 answer gets `Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_CDN_SECONDS` and an ETag
  (browsers revalidate, a CDN may hold it that long; a matching If-None-Match is answered 304).
- The middleware stores such an answer when the request carried no cookie but the session cookie, a
  session holding nothing but the chosen language, and the answer sets no cookie. So a page with a
  cart, a flash message, a sign-in or a CSRF token in it is never stored, and never served from here.
- Only requests for PUBLIC_URL's host are kept or served (any other host goes to the app, which refuses
  it). The key is a hash of the JSON list [language, host, path, query], so no part can run into the
  next (a Host holding "/p/42?x=" cannot make one page's entry another's). The entry carries the
  catalog's version (app/core/cache.py, bumped after any commit touching products, stock, photos,
  permits, tiers, reviews, groups, categories or events) and the day: an entry of another version or
  day is not served, so a change is visible on the next request, on every server. One Redis round
  trip per request (MGET of the version and the entry).
- A hit is answered without entering Flask (no session, no database); it still gets its own
  X-Request-ID and is counted in /metrics. Redis away: every request goes to the app.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from functools import wraps
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING

from flask import Flask, current_app, make_response, request, session
from flask.sessions import SecureCookieSessionInterface
from prometheus_client import Counter
from werkzeug.sansio.utils import host_is_trusted

from .cache import VERSION_KEY
from .links import public_host

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)
PAGE_CACHE = Counter("pasar_page_cache_total", "Anonymous pages and API reads: from the page cache or not", ["result"])
KEY_PREFIX = "pasar:page:"
SESSION_KEYS_ALLOWED = {"lang", "_fresh"}  # what an anonymous visitor's session may hold and still share pages
WIB_SECONDS = 7 * 3600
PER_RESPONSE = ("x-request-id", "content-length", "date", "retry-after")  # never replayed from an entry


def shared_visitor() -> bool:
    """Whether this request may be answered with a page made for everyone: no bearer token, and a session
    holding nothing but the chosen language (no sign-in, no cart, no message)."""
    return not request.headers.get("Authorization") and not set(session) - SESSION_KEYS_ALLOWED


def public_page(view: Callable) -> Callable:
    """Mark a view's 200 answers as shareable (the page cache, a CDN) when they are for a visitor who is
    not signed in, holds no cart and no message, sent no token, and whose session the page did not change."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        anonymous = shared_visitor()
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and anonymous and not session.modified:
            seconds = int(current_app.config.get("PAGE_CACHE_CDN_SECONDS", 30))
            response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapped


def _today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + WIB_SECONDS))


class PageCache:
    """The middleware (see the module's text). `app.wsgi_app = PageCache(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.prefixes = tuple(app.config.get("PAGE_CACHE_PATHS", ()))
        self.ttl = int(app.config.get("PAGE_CACHE_SECONDS", 300))
        self.cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
        self._redis: Redis | None = None

    # -------------------------------------------------------------- which requests

    def _redis_conn(self):
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1)
        return self._redis

    def _locale(self, environ) -> str | None:
        """The visitor's language when its request may share a page with others; None when it may not."""
        raw = environ.get("HTTP_COOKIE")
        if not raw:
            return "id"
        try:
            jar = SimpleCookie()
            jar.load(raw)
        except CookieError:
            return None
        if set(jar) - {self.cookie_name}:
            return None  # a remember-me token or anything else we did not set for everyone
        morsel = jar.get(self.cookie_name)
        if morsel is None or not morsel.value:
            return "id"
        interface = self.app.session_interface
        # Flask's signed cookie (the app sets no other); no secret key: no serializer, no shared page
        serializer = (
            interface.get_signing_serializer(self.app) if isinstance(interface, SecureCookieSessionInterface) else None
        )
        if serializer is None:
            return None
        try:
            data = serializer.loads(morsel.value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except Exception:
            return None
        if not isinstance(data, dict) or set(data) - SESSION_KEYS_ALLOWED:
            return None
        lang = data.get("lang", "id")
        return lang if lang in ("id", "en") else None

    def _key(self, environ, locale: str) -> str | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION"):
            return None
        path = environ.get("PATH_INFO", "")
        if not (path == "/" or any(path.startswith(p) for p in self.prefixes)):
            return None
        query = environ.get("QUERY_STRING", "")
        if "lang=" in query:
            return None  # choosing a language writes the session
        host = environ.get("HTTP_HOST", "")
        if not host_is_trusted(host, [public_host(self.app.config)]):
            return None  # only the site's own host: another one is the app's to refuse
        where = json.dumps([locale, host.lower(), path, query])
        return KEY_PREFIX + hashlib.sha256(where.encode()).hexdigest()

    # -------------------------------------------------------------- the WSGI call

    def __call__(self, environ, start_response):
        locale = self._locale(environ)
        key = self._key(environ, locale) if locale else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        try:
            version, entry = self._redis_conn().mget([VERSION_KEY, key])
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
            return self.wsgi_app(environ, start_response)
        version = int(version or 0)
        if entry is not None:
            served = self._serve(entry, version, environ, start_response)
            if served is not None:
                PAGE_CACHE.labels("hit").inc()
                return served
        PAGE_CACHE.labels("miss").inc()
        return self._render_and_keep(environ, start_response, key, version)

    def _serve(self, entry: bytes, version: int, environ, start_response):
        head, _, body = entry.partition(b"\n\n")
        try:
            meta = json.loads(head)
            current = meta["v"] == version and meta["day"] == _today()
        except (ValueError, KeyError, TypeError):  # not an entry of ours: made afresh and overwritten
            return None
        if not current:
            return None
        headers = [(k, v) for k, v in meta["h"]] + [("X-Request-ID", uuid.uuid4().hex), ("X-Page-Cache", "hit")]
        if meta["etag"] and meta["etag"] in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response(
                "304 Not Modified", [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-type")]
            )
            return [b""]
        start_response("200 OK", headers + [("Content-Length", str(len(body)))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def _render_and_keep(self, environ, start_response, key: str, version: int):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        try:
            chunks = list(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        body = b"".join(chunks)
        if environ["REQUEST_METHOD"] == "GET" and self._shareable(captured):
            keep = [
                (k, v)
                for k, v in captured["headers"]
                if k.lower() not in PER_RESPONSE and not k.lower().startswith("x-ratelimit")
            ]
            etag = next((v for k, v in keep if k.lower() == "etag"), "")
            head = json.dumps({"v": version, "day": _today(), "etag": etag, "h": keep}).encode()
            try:
                self._redis_conn().set(key, head + b"\n\n" + body, ex=self.ttl)
                PAGE_CACHE.labels("stored").inc()
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        return [body]

    @staticmethod
    def _shareable(captured: dict) -> bool:
        if not captured.get("status", "").startswith("200"):
            return False
        headers = {k.lower(): v for k, v in captured["headers"]}
        return "set-cookie" not in headers and "public" in headers.get("cache-control", "")


def install(app: Flask) -> None:
    """In front of the app when Redis is configured and PAGE_CACHE is on."""
    if app.config.get("REDIS_URL") and app.config.get("PAGE_CACHE", True):
        app.wsgi_app = PageCache(app, app.wsgi_app)  # type: ignore[method-assign]
