"""Schemathesis hooks for tests/site/test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

Schemathesis draws requests from the OpenAPI document: bodies that fit their schemas (or break them one
rule at a time), ASCII header values, random path ids and slugs that mostly name nothing. The attacker's
probe found 500s just outside that: JSON nested thousands deep, header values outside ASCII, a cursor
whose time has no offset, a month past 9999, and group pages reached only with a real slug. So a share
of what is drawn (a fixed share, through the run's fixed seed) is turned into such input:

- bodies: nested far deeper than the server accepts (sent as raw bytes: the client's own json.dumps
  stops near 1,000 levels), or with every string made non-ASCII;
- headers: the documented ones and a few the app reads (Stripe-Signature, Idempotency-Key, X-Request-ID)
  with non-ASCII (Latin-1, which HTTP can carry) values;
- query: crafted keyset cursors and months out of range where the operation takes them;
- path: the seeded marketplace's real slug and ids (PASAR_FUZZ_PATH, JSON), so the operations of a
  group, a product or an order are reached, not only their 404.
"""

from __future__ import annotations

import base64
import json
import os

import schemathesis
from hypothesis import strategies as st

DEEP = 3000  # levels: Python's json parser gives up near 1,000; the app refuses more than 32
NON_ASCII_TEXT = (
    "r\u00e9sum\u00e9 \u00fc\u00df \u0130stanbul \u4e2d\u6587 \U0001f600",
    "\u00e9" * 40,
    "\u2028\u00a0\u00ff",
)
NON_ASCII_HEADER = ("t=1,v1=\u00e9\u00e8\u00ea", "\u00e9" * 24, "Bearer \u00ff\u00fe")  # Latin-1: what HTTP carries
HEADERS_READ = ("Stripe-Signature", "Idempotency-Key", "X-Request-ID")


def _cursor(key) -> str:
    raw = json.dumps({"s": "newest", "d": "n", "k": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CRAFTED_QUERY = {
    "cursor": (
        _cursor(["2026-01-01T00:00:00", 1]),
        _cursor(["0001-01-01T00:00:00+14:00", 1]),
        _cursor(["9999-12-31T23:59:59-14:00", 1]),
    ),
    "month": ("9999-12", "0001-01", "99999999999999999999-1"),
}


def _sometimes(value, variants: list) -> st.SearchStrategy:
    """The drawn value three times in four, else one of the crafted variants."""
    if not variants:
        return st.just(value)
    return st.sampled_from([False, False, False, True]).flatmap(
        lambda crafted: st.sampled_from(variants) if crafted else st.just(value)
    )


def _json_body(context) -> bool:
    operation = context.operation
    return operation is not None and any(b.media_type == "application/json" for b in operation.body)


def _non_ascii(value, text: str):
    """The same JSON value with every string (keys kept) replaced by non-ASCII text."""
    if isinstance(value, str):
        return text
    if isinstance(value, dict):
        return {k: _non_ascii(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_non_ascii(v, text) for v in value]
    return value


def _deep_bytes(body) -> list[bytes]:
    deep = b"[" * DEEP + b"]" * DEEP
    variants = [deep]
    if isinstance(body, dict) and body:
        key = json.dumps(next(iter(body))).encode()
        variants.append(b"{" + key + b": " + deep + b"}")
    return variants


@schemathesis.hook
def flatmap_body(context, body):
    if not _json_body(context) or isinstance(body, bytes):
        return st.just(body)
    variants: list = _deep_bytes(body)
    if isinstance(body, (dict, list)):
        variants += [_non_ascii(body, text) for text in NON_ASCII_TEXT]
    return _sometimes(body, variants)


@schemathesis.hook
def flatmap_headers(context, headers):
    names = [n for n in (headers or {}) if n.lower() != "authorization"] + list(HEADERS_READ)
    variants = [dict(headers or {}, **{name: value}) for name in names for value in NON_ASCII_HEADER]
    return _sometimes(headers, variants)


@schemathesis.hook
def flatmap_query(context, query):
    documented = {p.name for p in context.operation.query} if context.operation is not None else set()
    variants = [
        dict(query or {}, **{name: value})
        for name, values in CRAFTED_QUERY.items()
        if name in documented
        for value in values
    ]
    return _sometimes(query, variants)


def _known_path() -> dict:
    return json.loads(os.environ.get("PASAR_FUZZ_PATH") or "{}")


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    known = _known_path()
    if not path_parameters or not any(name in known for name in path_parameters):
        return st.just(path_parameters)
    real = {name: known.get(name, value) for name, value in path_parameters.items()}
    return st.sampled_from([path_parameters, real])
