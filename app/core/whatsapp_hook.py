"""Meta's webhook for the WhatsApp messages we send (configured in the app's dashboard as
<PUBLIC_URL>/webhooks/whatsapp, field "messages"): GET answers Meta's verification with hub.challenge when
hub.verify_token is WHATSAPP_VERIFY_TOKEN; POST carries the messages' statuses, signed with the app's secret
(X-Hub-Signature-256), and is refused (401) when the signature is not ours."""

from __future__ import annotations

import hmac
import json

from flask import Blueprint, Response, abort, current_app, request

from ..extensions import csrf
from . import whatsapp

bp = Blueprint("whatsapp_hook", __name__)
csrf.exempt(bp)


@bp.get("/webhooks/whatsapp")
def verify():
    token = current_app.config.get("WHATSAPP_VERIFY_TOKEN") or ""
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(token, given):
        abort(403)
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@bp.post("/webhooks/whatsapp")
def statuses():
    raw = request.get_data(cache=False)
    if not whatsapp.signature_ok(raw, request.headers.get("X-Hub-Signature-256")):
        abort(401)
    try:
        payload = json.loads(raw)
    except ValueError:
        abort(400)
    if isinstance(payload, dict):
        whatsapp.record_statuses(payload)
    return Response("", status=200)
