"""Photos of what arrived, for a complaint: checked and stripped by the image pipeline, kept private (only
the buyer, the order's group and admins see them). A failed upload leaves no file and no row."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.accounts.models import User
from app.core import images
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.storage import storage
from app.extensions import db

from .complaint_models import UNRESOLVED, ComplaintPhoto
from .complaints import complaint_for
from .services import Buyer

MAX_PHOTOS = 5
FOLDER = "complaints"  # private (app/core/storage.py PRIVATE_FOLDERS)


def add_photo(buyer: User | Buyer, complaint_id: int, raw: bytes) -> ComplaintPhoto:
    complaint, who = complaint_for(buyer, complaint_id)
    if who != "buyer":
        raise NotFound(_("Komplain tidak ditemukan."))
    if complaint.status not in UNRESOLVED:
        raise Conflict(_("Komplain ini sudah selesai."))
    if len(complaint.photos) >= MAX_PHOTOS:
        raise Conflict(_("Paling banyak %(n)s foto untuk satu komplain.", n=MAX_PHOTOS))
    cfg = current_app.config
    try:
        result = images.process(
            raw, widths=(1280,), max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_DOCUMENT_PIXELS"]
        )
    except images.ImageRejected as exc:
        message = images.rejection_message(exc.code)
        raise ValidationFailed(message, {"file": [message]}) from None
    store = storage()
    key = store.new_key(FOLDER, ".webp")
    store.put(key, result.variants[-1].data)
    photo = ComplaintPhoto(complaint_id=complaint.id, key=key)
    db.session.add(photo)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.delete(key)
        raise
    return photo


def photo_key(actor: User | Buyer, complaint_id: int, photo_id: int) -> str:
    """The stored key of a complaint's photo, for its buyer (signed in or by her checkout's link), the order's
    group and admins (404 otherwise)."""
    complaint, _who = complaint_for(actor, complaint_id)
    for photo in complaint.photos:
        if photo.id == photo_id:
            return photo.key
    raise NotFound(_("Foto tidak ditemukan."))
