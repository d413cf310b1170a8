"""The one Redis connection (REDIS_URL): the job queue and the health check use it. None when Redis is
not configured (the SQLite demo): jobs then run inline."""

from __future__ import annotations

from flask import current_app


def connection():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    conns = current_app.extensions.setdefault("pasar_redis", {})
    if url not in conns:
        import redis

        conns[url] = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return conns[url]
