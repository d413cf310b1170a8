"""The cursors of paged lists: an offset (search by relevance, the API's lists) or a keyset (the sort key
of the row a listing continues from). A cursor that does not decode to a value in range is a 422."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from flask_babel import gettext as _

from app.core.errors import ValidationFailed

from .products import MAX_PRICE


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if type(offset) is int and 0 <= offset <= 100_000:
            return offset
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        pass
    raise ValidationFailed(_("Kursor tidak valid."), {"cursor": [_("Kursor tidak valid.")]})


def encode_keyset(sort: str, direction: str, key: list) -> str:
    raw = json.dumps({"s": sort, "d": direction, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_keyset(cursor: str | None, sort: str):
    """(direction, (value, id)) of a listing cursor for this sort; None for the first page; 422 otherwise."""
    if not cursor:
        return None
    invalid = ValidationFailed(_("Kursor tidak valid."), {"cursor": [_("Kursor tidak valid.")]})
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        direction, (value, row_id) = data["d"], data["k"]
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        raise invalid from None
    if data.get("s") != sort or direction not in ("n", "p") or type(row_id) is not int or not 0 < row_id <= 2**31:
        raise invalid
    if sort == "newest":
        value = _instant(value)
    elif not (type(value) is int and 0 <= value <= MAX_PRICE):
        value = None
    if value is None:
        raise invalid
    return direction, (value, row_id)


def _instant(value) -> datetime | None:
    """A cursor's time: an ISO text with its offset, as UTC; None for anything else (no offset, a date
    alone, a time that falls outside the years 1..9999 once turned to UTC)."""
    if not isinstance(value, str) or len(value) >= 40:
        return None
    try:
        at = datetime.fromisoformat(value)
        if at.tzinfo is None or at.utcoffset() is None:
            return None
        return at.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
