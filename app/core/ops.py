"""Running it on many machines: a request id on every request (kept from the load balancer's
X-Request-ID when it is sane), JSON log lines that carry it, /healthz and /readyz for load balancers,
and Prometheus metrics at /metrics (prometheus_client; across gunicorn workers through
PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

import hmac
import logging
import os
import re
import time
import uuid

from flask import Flask, g, has_request_context, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pythonjsonlogger.json import JsonFormatter

from app.core import jobs, redis_conn
from app.core.storage import storage
from app.extensions import db

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

REQUESTS = Counter("pasar_http_requests_total", "HTTP requests by route and status", ["route", "method", "status"])
LATENCY = Histogram(
    "pasar_http_request_duration_seconds",
    "Time to answer, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CHECKOUTS = Counter("pasar_checkouts_total", "Checkouts placed, by payment method", ["method"])
PAYMENTS = Counter("pasar_payments_total", "Payments that arrived, by payment method", ["method"])
JOBS_QUEUED = Gauge("pasar_jobs_queued", "Jobs waiting in the queue", ["queue"], multiprocess_mode="max")
JOBS_FAILED = Gauge("pasar_jobs_failed", "Jobs in the failed registry", ["queue"], multiprocess_mode="max")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


def configure_logging(app: Flask) -> None:
    """LOG_FORMAT=json (production's default): one JSON object per line with the request id; otherwise
    plain lines. Nothing secret is logged: no bodies, no headers, no query strings."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_pasar", False)]
    handler._pasar = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def register(app: Flask) -> None:
    configure_logging(app)
    _timing(app)
    _probes(app)
    _metrics(app)


def _timing(app: Flask) -> None:
    """Each request's id (X-Request-ID, given or made), count, latency and access log line."""
    access = logging.getLogger("pasar.access")

    @app.before_request
    def start():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def finish(response):
        rid = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = rid
        route = _route()
        if request.endpoint != "metrics":
            REQUESTS.labels(route, request.method, str(response.status_code)).inc()
            if g.get("started") is not None:
                elapsed = time.perf_counter() - g.started
                LATENCY.labels(route).observe(elapsed)
                access.info(
                    "%s %s %s %.1fms",
                    request.method,
                    route,
                    response.status_code,
                    elapsed * 1000,
                    extra={"status": response.status_code, "route": route},
                )
        return response


def _probes(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        """The process is up (a load balancer's liveness check): no database, no network."""
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """Ready for traffic: the database, Redis (when configured) and the storage answer; 503 names
        what does not."""
        checks = {"database": _database, "redis": _redis, "storage": _storage}
        failing = []
        for name, check in checks.items():
            try:
                check(app)
            except Exception:
                logging.getLogger(__name__).warning("readyz: %s is not reachable", name, exc_info=True)
                failing.append(name)
        if failing:
            response = jsonify(status="unavailable", failing=failing)
            response.status_code = 503
            response.headers["Retry-After"] = "5"
            return response
        return jsonify(status="ok")


def _metrics(app: Flask) -> None:
    @app.get("/metrics")
    def metrics():
        """Prometheus's scrape. With METRICS_TOKEN set, only a request bearing it (the scraper); without
        one, open in development and absent (404) in production, where the numbers are nobody else's."""
        token = app.config.get("METRICS_TOKEN")
        if token:
            sent = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(sent, f"Bearer {token}".encode()):
                return jsonify(status=401, title="Unauthorized"), 401, {"WWW-Authenticate": "Bearer"}
        elif not app.config.get("METRICS_OPEN", True):
            return jsonify(status=404, title="Not Found"), 404
        _queue_gauges(app)
        registry = None
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry) if registry is not None else generate_latest()
        return body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}


def _database(app: Flask) -> None:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _redis(app: Flask) -> None:
    conn = redis_conn.connection()
    if conn is not None:
        conn.ping()


def _storage(app: Flask) -> None:
    storage().check()


def _queue_gauges(app: Flask) -> None:
    try:
        for name, (queued, failed) in jobs.depths().items():
            JOBS_QUEUED.labels(name).set(queued)
            JOBS_FAILED.labels(name).set(failed)
    except Exception:
        logging.getLogger(__name__).warning("queue depth unavailable", exc_info=True)
