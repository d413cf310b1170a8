"""What every API view shares: routes that describe themselves for OpenAPI, bearer auth, bodies
read through pydantic, paging, and problem documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import g, jsonify, request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from app.accounts import sessions
from app.core.errors import Malformed, Unauthorized, UnsupportedMedia
from app.core.errors import ValidationFailed as Invalid
from app.core.links import external_url

from . import bp


@dataclass
class Operation:
    method: str
    rule: str
    summary: str
    body: type[BaseModel] | None = None
    multipart: Callable[[], dict] | None = None  # the form's fields for the OpenAPI document
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = False
    query: list[dict] = field(default_factory=list)
    errors: tuple[int, ...] = ()
    tag: str = ""
    also: tuple[int, ...] = ()  # other success statuses, with the same response body


OPERATIONS: list[Operation] = []


def route(
    rule: str,
    method: str,
    summary: str,
    *,
    tag: str,
    body=None,
    response=None,
    status=200,
    auth=False,
    query=(),
    errors=(),
    multipart=None,
    also=(),
):
    """Register a view under /api/v1 and record it for the OpenAPI document."""

    def decorator(view: Callable):
        OPERATIONS.append(
            Operation(
                method.lower(),
                rule,
                summary,
                body,
                multipart,
                response,
                status,
                auth,
                list(query),
                tuple(errors),
                tag,
                tuple(also),
            )
        )
        endpoint = f"{view.__name__}"

        @wraps(view)
        def wrapped(*args, **kwargs):
            if auth:
                g.api_user = require_user()
            else:
                g.api_user = optional_user()
            return view(*args, **kwargs)

        bp.add_url_rule(rule, endpoint=endpoint, view_func=wrapped, methods=[method.upper()])
        return wrapped

    return decorator


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def optional_user():
    token = _bearer()
    return sessions.user_for_token(token) if token else None


NO_TOKEN = "Send a valid token: Authorization: Bearer <token> (POST /api/v1/auth/token)."


def require_user():
    token = _bearer()
    user = sessions.user_for_token(token) if token else None
    if user is None:
        raise Unauthorized(NO_TOKEN)
    return user


def current_token() -> str:
    """The bearer token (a route with auth=True has checked it already)."""
    token = _bearer()
    if token is None:
        raise Unauthorized(NO_TOKEN)
    return token


def body(model: type[BaseModel], *, partial: bool = False) -> dict:
    """The JSON body checked against the model: 415 not JSON, 400 unreadable, 422 wrong values."""
    if not request.mimetype or request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMedia("Send the body as application/json.")
    raw = request.get_data(cache=True)
    try:
        parsed = model.model_validate_json(raw or b"")
    except PydanticError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors(include_url=False):
            if err["type"] in ("json_invalid", "json_type"):
                raise Malformed("The body is not valid JSON object.") from None
            if err["type"] == "model_type" and not err["loc"]:
                raise Malformed("The body must be a JSON object.") from None
            name = ".".join(str(p) for p in err["loc"]) or "body"
            message = "Unknown field." if err["type"] == "extra_forbidden" else err["msg"]
            errors.setdefault(name, []).append(message)
        raise Invalid("Some values are missing or invalid.", errors) from None
    return parsed.model_dump(exclude_unset=partial, mode="python")


def paging() -> tuple[str | None, int]:
    raw = request.args.get("limit", "24")
    try:
        limit = int(raw)
    except ValueError:
        limit = -1
    if not 1 <= limit <= 100:
        raise Invalid("limit must be a whole number from 1 to 100.", {"limit": ["Must be from 1 to 100."]})
    return request.args.get("cursor") or None, limit


def int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid(f"{name} must be a whole number.", {name: ["Must be a whole number."]}) from None


def bool_arg(name: str) -> bool:
    raw = (request.args.get(name) or "").lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise Invalid(f"{name} must be true or false.", {name: ["Must be true or false."]})


def reply(data: Any, status: int = 200, headers: dict | None = None):
    response = jsonify(data)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def no_content():
    return "", 204


def invitation_link(token: str) -> str:
    return external_url("accounts.invitation", token=token)
