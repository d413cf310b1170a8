"""A cache of catalog listings in Redis (when REDIS_URL is set), shared by every app server.

What is kept never holds anything personal: which products a listing or a search shows, in order, and
its cursors (the filtering and ranking queries are the costly part), keyed by the query. Every key
carries the catalog's version, a
counter bumped after any commit that touched a product, its photos, permits, tiers, export details,
its group, a category or an event — stock included (the checkouts' conditional UPDATEs) — so a change
is visible on the next request, on every server. Without Redis nothing is kept (the demo)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .redis_conn import connection

log = logging.getLogger(__name__)
VERSION_KEY = "pasar:catalog:version"
TTL_SECONDS = 600
# the tables whose changes the shared fragments show: each area names its own (cache.watch)
WATCHED: set[str] = set()


def watch(*tables: str) -> None:
    WATCHED.update(tables)


def _conn():
    if not current_app.config.get("CATALOG_CACHE", True):
        return None

    return connection()


def connection_or_none():
    """The catalog cache's Redis connection, or None when there is none (the demo, CATALOG_CACHE off)."""
    return _conn()


def version(conn) -> int:
    return int(conn.get(VERSION_KEY) or 0)


def bump() -> None:
    conn = _conn()
    if conn is not None:
        try:
            conn.incr(VERSION_KEY)
        except Exception:
            log.warning("could not bump the catalog version; dropping the cached fragments", exc_info=True)
            with contextlib.suppress(Exception):
                conn.delete(VERSION_KEY)


def cached(kind: str, parts: dict, build: Callable[[], dict]) -> dict:
    """`build()` (a JSON-able dict), or what an earlier call with the same parts and catalog version kept."""
    conn = _conn()
    if conn is None:
        return build()
    try:
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]
        key = f"pasar:frag:{kind}:{version(conn)}:{digest}"
        hit = conn.get(key)
        if hit is not None:
            return json.loads(hit)
    except Exception:
        log.warning("catalog cache unavailable", exc_info=True)
        return build()
    value = build()
    with contextlib.suppress(Exception):  # Redis away: the page is rendered anyway
        conn.set(key, json.dumps(value), ex=TTL_SECONDS)
    return value


# ------------------------------------------------------------------ invalidation, from the session


def _touches_catalog(session: Session) -> bool:
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if getattr(obj, "__tablename__", None) in WATCHED:
            return True
    return False


_REGISTERED: list[bool] = []


def register() -> None:
    """Once per process: listen to every ORM session."""
    if _REGISTERED:
        return
    _REGISTERED.append(True)
    session_factory = Session

    @event.listens_for(session_factory, "before_flush")
    def note_changes(session, flush_context, instances):
        if _touches_catalog(session):
            session.info["catalog_changed"] = True

    @event.listens_for(session_factory, "do_orm_execute")
    def note_bulk_updates(state):
        if (state.is_update or state.is_delete) and state.statement.table.name in WATCHED:
            state.session.info["catalog_changed"] = True

    @event.listens_for(session_factory, "after_commit")
    def tell_the_cache(session):
        if session.info.pop("catalog_changed", False):
            with contextlib.suppress(RuntimeError):  # no app context (a script): nothing is cached there either
                bump()

    @event.listens_for(session_factory, "after_rollback")
    def forget(session):
        session.info.pop("catalog_changed", None)
