"""Complaints about orders: the buyer opens one and adds photos, the group answers, the buyer accepts or
escalates, an admin decides (../shared/API.md "Complaints")."""

from flask import g, request, url_for

from app.core.errors import UnsupportedMedia
from app.core.errors import ValidationFailed as Invalid
from app.orders import complaint_photos, complaints

from . import schemas
from .base import body, reply, route
from .selling import _upload_doc


def _out(complaint) -> dict:
    return {
        "id": complaint.id,
        "order_id": complaint.order_id,
        "status": complaint.status,
        "reason": complaint.reason,
        "description": complaint.description,
        "quantity": complaint.quantity,
        "resolution": complaint.resolution,
        "amount_idr": complaint.amount_idr,
        "refund_idr": complaint.refund_idr,
        "refund_state": complaint.refund_state,
        "photos": [
            {"id": p.id, "url": url_for("complaints.photo", complaint_id=complaint.id, photo_id=p.id, _external=True)}
            for p in complaint.photos
        ],
        "messages": [
            {
                "at": m.created_at.isoformat(),
                "author": m.role,
                "action": m.action,
                "resolution": m.resolution,
                "amount_idr": m.amount_idr,
                "text": m.body,
            }
            for m in complaint.messages
        ],
    }


@route(
    "/orders/<int:order_id>/complaints",
    "POST",
    "Complain about an order (its buyer, while shipped or delivered, or COMPLAINT_DAYS after completion)",
    tag="buying",
    auth=True,
    body=schemas.ComplaintIn,
    response=schemas.ComplaintCreated,
    status=201,
    errors=(401, 404, 409, 422),
)
def complaint_open(order_id: int):
    data = body(schemas.ComplaintIn)
    c = complaints.open_complaint(g.api_user, order_id, data["reason"], data["description"], data.get("quantity"))
    return reply(
        {"id": c.id, "order_id": c.order_id, "status": c.status, "reason": c.reason},
        201,
        {"Location": url_for("api.complaint_get", complaint_id=c.id)},
    )


@route(
    "/complaints/<int:complaint_id>",
    "GET",
    "A complaint with its messages (its buyer, the order's group, admins)",
    tag="buying",
    auth=True,
    response=schemas.ComplaintOut,
    errors=(401, 404),
)
def complaint_get(complaint_id: int):
    return reply(_out(complaints.complaint_for(g.api_user, complaint_id)[0]))


@route(
    "/complaints/<int:complaint_id>/photos",
    "POST",
    "Add a photo to a complaint (its buyer; at most 5)",
    tag="buying",
    auth=True,
    multipart=_upload_doc,
    response=schemas.ComplaintPhotoOut,
    status=201,
    errors=(401, 404, 409, 413, 415, 422),
)
def complaint_photo(complaint_id: int):
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMedia("Send the photo as multipart/form-data with the field 'file'.")
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("The field 'file' is missing.", {"file": ["Required."]})
    photo = complaint_photos.add_photo(g.api_user, complaint_id, upload.read())
    url = url_for("complaints.photo", complaint_id=complaint_id, photo_id=photo.id, _external=True)
    return reply({"id": photo.id, "url": url}, 201)


@route(
    "/complaints/<int:complaint_id>/respond",
    "POST",
    "The group answers (its chair or treasurer): refund, partial_refund, replace or reject",
    tag="selling",
    auth=True,
    body=schemas.AnswerIn,
    response=schemas.ComplaintOut,
    errors=(401, 403, 404, 409, 422),
)
def complaint_respond(complaint_id: int):
    data = body(schemas.AnswerIn)
    c = complaints.respond(g.api_user, complaint_id, data["resolution"], data.get("amount_idr"), data.get("note"))
    return reply(_out(c))


@route(
    "/complaints/<int:complaint_id>/accept",
    "POST",
    "The buyer accepts the group's answer: resolved, its refund made (by hand: to the bank account given)",
    tag="buying",
    auth=True,
    body=schemas.ComplaintAcceptIn,
    response=schemas.ComplaintOut,
    errors=(401, 403, 404, 409, 422),
)
def complaint_accept(complaint_id: int):
    data = body(schemas.ComplaintAcceptIn) if request.get_data() else {}
    return reply(_out(complaints.accept(g.api_user, complaint_id, data)))


@route(
    "/complaints/<int:complaint_id>/escalate",
    "POST",
    "The buyer does not accept the group's answer: an admin decides",
    tag="buying",
    auth=True,
    body=schemas.EscalateIn,
    response=schemas.ComplaintOut,
    errors=(401, 403, 404, 409, 422),
)
def complaint_escalate(complaint_id: int):
    data = body(schemas.EscalateIn) if request.get_data() else {}
    return reply(_out(complaints.escalate(g.api_user, complaint_id, data.get("note"))))


@route(
    "/complaints/<int:complaint_id>/decide",
    "POST",
    "An admin decides a complaint (final): the same body as respond",
    tag="officers",
    auth=True,
    body=schemas.AnswerIn,
    response=schemas.ComplaintOut,
    errors=(401, 403, 404, 409, 422),
)
def complaint_decide(complaint_id: int):
    data = body(schemas.AnswerIn)
    c = complaints.decide(g.api_user, complaint_id, data["resolution"], data.get("amount_idr"), data.get("note"))
    return reply(_out(c))
