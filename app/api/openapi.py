"""GET /api/v1/openapi.json: built from the routes as registered, so it describes what is built."""

from __future__ import annotations

import re

from flask import current_app
from pydantic.json_schema import models_json_schema

from app.core.inputs import MAX_ID

from . import schemas
from .base import OPERATIONS, reply, route

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_STATUS_TEXT = {
    400: "Malformed request",
    401: "No or bad token",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    415: "Wrong media type",
    422: "Invalid values",
    429: "Too many requests",
    503: "Unavailable for now: send again",
}
_SUCCESS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content"}


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for conv, name in _PARAM.findall(rule):
        params.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}
                if conv == "int"
                else {"type": "string", "minLength": 1, "maxLength": 200},
            }
        )
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _always(op, path_params: list[dict]) -> set[int]:
    """Answers any operation of this shape can give, whatever its view does: a body can be unreadable
    (400) or of the wrong type (415); any parameter or body can hold a value out of range or a control
    character (422, see app/core/inputs.py); a path names a thing that may not exist (404); a token can be
    missing or revoked (401)."""
    codes = set()
    if op.body or op.multipart:
        codes |= {400, 413, 415, 422}
    if path_params or op.query:
        codes.add(422)
    if path_params:
        codes.add(404)
    if op.auth:
        codes.add(401)
    return codes


def _responses(op, params: list[dict]) -> dict:
    """The operation's success statuses (with its response model, if any) and the problem documents it
    may answer with: those it names and those every such operation can meet."""
    responses: dict = {}
    for status in (op.status, *op.also):
        ok: dict = {"description": _SUCCESS_TEXT.get(status, "OK")}
        if op.response:
            ok["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.response.__name__}"}}}
        if status == 204:
            ok = {"description": "No content"}
        responses[str(status)] = ok
    for code in sorted(set(op.errors) | _always(op, params)):
        responses[str(code)] = {
            "description": _STATUS_TEXT.get(code, "Error"),
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return responses


def build() -> dict:
    models = {op.body for op in OPERATIONS if op.body} | {op.response for op in OPERATIONS if op.response}
    models.add(schemas.Problem)
    _, defs = models_json_schema(
        [
            (m, "validation" if m in {op.body for op in OPERATIONS} else "serialization")
            for m in sorted(models, key=lambda m: m.__name__)
        ],
        ref_template="#/components/schemas/{model}",
    )
    paths: dict = {}
    for op in OPERATIONS:
        path, params = _path(op.rule)
        item: dict = {"summary": op.summary, "tags": [op.tag], "operationId": f"{op.method}_{path}", "responses": {}}
        if params or op.query:
            item["parameters"] = params + op.query
        if op.auth:
            item["security"] = [{"bearer": []}]
        if op.body:
            item["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}},
            }
        if op.multipart:
            props = op.multipart()
            item["requestBody"] = {
                "required": True,
                "content": {
                    "multipart/form-data": {"schema": {"type": "object", "properties": props, "required": list(props)}}
                },
            }
        item["responses"] = _responses(op, params)
        paths.setdefault(path, {})[op.method] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pasar UPPKS API",
            "version": "1",
            "description": "See API.md. Money in whole rupiah (*_idr). Errors are RFC 9457 problem documents.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": defs["$defs"], "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "x-upload-max-bytes": current_app.config["MAX_UPLOAD_BYTES"],
    }


@route("/openapi.json", "GET", "This document", tag="meta")
def openapi_document():
    return reply(build())
