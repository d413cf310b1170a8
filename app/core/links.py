"""The site's public address (PUBLIC_URL) and the hosts it answers for.

Every link that leaves the site (an e-mail, the sales statement's PDF and QR code, the API's URLs, the
calendar feed) is built by `external_url` from PUBLIC_URL, never from the request's Host header, which
is whatever the client sent: a password reset asked for with `Host: evil.example` would otherwise mail
the victim a link to evil.example. Requests for a host that is neither PUBLIC_URL's nor one of
EXTRA_TRUSTED_HOSTS are refused (400) before any view runs, except the load balancers' probes, which come
to an instance's address and show no link. Forms sent from shared pages compare the Origin with
PUBLIC_URL's origin (`app/core/http.py`), and the page cache keeps pages of PUBLIC_URL's host only.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.sansio.utils import host_is_trusted

# answered whatever the Host: load balancers and Prometheus ask an instance by its IP address
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def check_public_url(value: str | None) -> str:
    """PUBLIC_URL as the app uses it (no trailing slash), or RuntimeError naming what is wrong."""
    if not value:
        raise RuntimeError("PUBLIC_URL must be set (PASAR_ENV=production), e.g. https://pasar.example")
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - a port that is not a number raises
    except ValueError:
        parts = None  # type: ignore[assignment]
    if (
        parts is None
        or parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username is not None
        or not host_is_trusted(parts.netloc)
    ):
        raise RuntimeError(f"PUBLIC_URL must be http(s)://host[:port][/path], not {value!r}")
    return value.strip().rstrip("/")


@lru_cache(maxsize=8)
def _parts(public_url: str) -> tuple[str, str, str, int, str]:
    """(scheme, netloc, host name, port, path) of PUBLIC_URL."""
    parts = urlsplit(public_url)
    return (
        parts.scheme,
        parts.netloc.lower(),
        (parts.hostname or "").lower(),
        parts.port or DEFAULT_PORTS[parts.scheme],
        parts.path or "/",
    )


def public_host(config) -> str:
    """PUBLIC_URL's host name, without the port (what the page cache keeps pages for)."""
    return _parts(config["PUBLIC_URL"])[2]


def public_origin() -> tuple[str, str, int]:
    scheme, _netloc, host, port, _path = _parts(current_app.config["PUBLIC_URL"])
    return scheme, host, port


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL or an Origin header, the port filled in; None when it has none."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint at PUBLIC_URL (`url_for(..., _external=True)`, without the request's
    Host). Works outside a request too (jobs, the CLI): only an app context is needed."""
    app = current_app
    scheme, netloc, _host, _port, path = _parts(app.config["PUBLIC_URL"])
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(netloc, script_name=path, url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)


def trusted_hosts(config) -> list[str]:
    return [public_host(config), *config.get("EXTRA_TRUSTED_HOSTS", ())]


def host_allowed(host: str | None, config) -> bool:
    """Whether a Host header names one of ours (port aside; a value with other characters never does)."""
    return bool(host) and host_is_trusted(host, trusted_hosts(config))


def _refuse_foreign_hosts() -> None:
    if request.path in PROBES:
        return
    if not host_allowed(request.environ.get("HTTP_HOST"), current_app.config):
        abort(400)


def install(app: Flask) -> None:
    """Refuse requests for other hosts before anything else runs (the rate limiter, the view)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_foreign_hosts)
