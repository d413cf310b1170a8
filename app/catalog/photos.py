"""A product's photos: an upload made at once, or stored for the "photo.variants" job to make; the jobs;
the order and deletion of photos."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import images, jobs
from app.core.errors import Conflict, DomainError, NotFound, TooLarge, UnsupportedMedia, ValidationFailed
from app.core.storage import storage
from app.core.types import utcnow
from app.extensions import db

from . import visibility
from .access import product_for_member
from .models import Photo, Product, StagedUpload

MAX_PHOTOS = 8


@dataclass
class AddedPhoto:
    photo: Photo
    new: bool  # False: this file had been sent for the product before; that photo is the answer again


def add_photo(actor: User, product_id: int, raw: bytes) -> AddedPhoto:
    """Add a photo: made at once (its variants written), or with a job queue stored for a job to make. The
    same file sent again for the same product (a client retrying an upload whose answer it lost) is the
    photo it made the first time: nothing is stored twice (one row per product and SHA-256 of the file,
    held by a unique constraint when two retries race)."""
    product = product_for_member(actor, product_id)
    digest = hashlib.sha256(raw).hexdigest()
    earlier = _photo_with(product.id, digest)
    if earlier is not None:
        return _again(earlier)
    if len(product.photos) >= MAX_PHOTOS:
        raise Conflict(
            _("Paling banyak %(n)s foto per produk.", n=MAX_PHOTOS),
            {"file": [_("Paling banyak %(n)s foto per produk.", n=MAX_PHOTOS)]},
        )
    if jobs.queued():
        return _store_for_variants(product, raw, digest)
    result = _processed(raw)
    store = storage()
    keys = _write_variants(store, result)
    try:
        position = (max((p.position for p in product.photos), default=-1)) + 1
        photo = Photo(position=position, width=result.width, height=result.height, keys=keys, status="ready")
        photo.content_sha256 = digest
        product.photos.append(photo)
        visibility.publish_when_ready(product)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        for key in keys.values():
            store.delete(key)
        raced = _raced(exc, product.id, digest)
        if raced is None:
            raise
        return raced
    return AddedPhoto(photo, True)


def _photo_with(product_id: int, digest: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.product_id == product_id, Photo.content_sha256 == digest))


def _again(photo: Photo) -> AddedPhoto:
    if photo.status == "failed":
        message = _(
            "Berkas ini sudah pernah dikirim untuk produk ini dan tidak bisa dibaca (rusak atau tidak lengkap). "
            "Hapus foto itu, lalu unggah berkas yang utuh."
        )
        raise ValidationFailed(message, {"file": [message]})
    return AddedPhoto(photo, False)


def _raced(exc: BaseException, product_id: int, digest: str) -> AddedPhoto | None:
    """The same file, sent twice at once: the one whose row was written first is the photo of both."""
    if not isinstance(exc, IntegrityError):
        return None
    earlier = _photo_with(product_id, digest)
    return _again(earlier) if earlier is not None else None


class Unreadable(Exception):
    """A kept upload whose header was fine but which cannot be decoded."""

    def __init__(self, upload: StagedUpload, error: DomainError):
        super().__init__(error.detail)
        self.upload, self.error = upload, error


def attach_staged(product: Product, staged: list[StagedUpload]) -> list[str]:
    """Photos kept from a new-product form become the product's (rows in the session, not committed): made
    at once, or with a job queue handed to the job as they are (the kept upload is its original). Answers
    the keys written, for the caller to delete if the transaction fails; the caller queues the jobs after
    committing. An upload that cannot be decoded raises Unreadable."""
    written: list[str] = []
    try:
        for position, upload in enumerate(staged, start=len(product.photos)):
            photo = Photo(position=position, width=upload.width, height=upload.height)
            photo.content_sha256 = upload.content_sha256
            if jobs.queued():
                photo.keys, photo.status, photo.original_key = {}, "pending", upload.key
            else:
                try:
                    result = _processed(storage().read(upload.key))
                except DomainError as exc:
                    raise Unreadable(upload, exc) from None
                photo.keys = _write_variants(storage(), result)
                written += photo.keys.values()
                photo.width, photo.height, photo.status = result.width, result.height, "ready"
            product.photos.append(photo)
    except BaseException:
        for key in written:
            storage().delete(key)
        raise
    return written


def photo_for_member(actor: User, product_id: int, photo_id: int) -> Photo:
    """One photo of a product of the member's group, in any state (processing, ready, failed)."""
    product = product_for_member(actor, product_id)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(_("Foto tidak ditemukan."))
    return photo


def _write_variants(store, result) -> dict[str, str]:
    """Each WebP variant under a new key ({width: key}); if one cannot be written, none stay."""
    keys: dict[str, str] = {}
    try:
        for variant in result.variants:
            key = store.new_key("products", ".webp")
            store.put(key, variant.data)
            keys[str(variant.width)] = key
    except BaseException:
        for key in keys.values():
            store.delete(key)
        raise
    return keys


def _rejected(exc: images.ImageRejected):
    message = images.rejection_message(exc.code)
    error_class = {"too_large": TooLarge, "bad_type": UnsupportedMedia, "not_image": UnsupportedMedia}.get(
        exc.code, ValidationFailed
    )
    return error_class(message, {"file": [message]})


def _processed(raw: bytes):
    cfg = current_app.config
    try:
        return images.process(
            raw, widths=cfg["IMAGE_WIDTHS"], max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_IMAGE_PIXELS"]
        )
    except images.ImageRejected as exc:
        raise _rejected(exc) from None


def _store_for_variants(product: Product, raw: bytes, digest: str) -> AddedPhoto:
    """With a job queue: the upload is checked from its header, stored as it came (privately) and the row
    written; the answer goes back at once and a job makes the variants. Until then the product shows a
    placeholder, never a broken image."""
    cfg = current_app.config
    try:
        info = images.inspect(raw, max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_IMAGE_PIXELS"])
    except images.ImageRejected as exc:
        raise _rejected(exc) from None
    store = storage()
    key = store.new_key("originals", info.suffix)
    store.put(key, raw)
    try:
        position = (max((p.position for p in product.photos), default=-1)) + 1
        photo = Photo(
            product_id=product.id,
            position=position,
            width=info.width,
            height=info.height,
            keys={},
            status="pending",
            original_key=key,
            content_sha256=digest,
        )
        db.session.add(photo)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        store.delete(key)
        raced = _raced(exc, product.id, digest)
        if raced is None:
            raise
        return raced
    jobs.enqueue("photo.variants", photo.id)
    return AddedPhoto(photo, True)


@jobs.task("photo.variants")
def make_variants(photo_id: int) -> str:
    """The job: decode the stored upload, write the WebP variants, show the photo. A transient failure
    (storage away) raises, so the queue tries again; an image that cannot be decoded marks the photo
    failed (never shown) and its upload goes."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.status != "pending" or not photo.original_key:
        return "nothing to do"
    store = storage()
    raw = store.read(photo.original_key)
    try:
        result = images.process(
            raw,
            widths=current_app.config["IMAGE_WIDTHS"],
            max_bytes=len(raw) + 1,
            max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        )
    except images.ImageRejected:
        original, photo.status, photo.original_key = photo.original_key, "failed", None
        db.session.commit()
        store.delete(original)
        return "failed"
    keys = _write_variants(store, result)
    try:
        original = photo.original_key
        photo.keys, photo.width, photo.height = keys, result.width, result.height
        photo.status, photo.original_key = "ready", None
        product = db.session.get(Product, photo.product_id)
        if product is not None:
            visibility.publish_when_ready(product)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in keys.values():
            store.delete(key)
        raise
    store.delete(original)
    return "ready"


def photos_waiting(older_than) -> list[int]:
    """Photos whose variant job has not run for a while (lost with Redis)."""
    return list(
        db.session.scalars(select(Photo.id).where(Photo.status == "pending", Photo.created_at < older_than).limit(500))
    )


@jobs.task("photo.requeue", every=60)
def requeue_waiting_photos() -> int:
    """Photos still waiting for their variants ten minutes on (their job lost with Redis) are queued again."""
    waiting = photos_waiting(older_than=utcnow() - timedelta(minutes=10))
    for photo_id in waiting:
        jobs.enqueue("photo.variants", photo_id)
    return len(waiting)


def delete_photo(actor: User, product_id: int, photo_id: int) -> None:
    product = product_for_member(actor, product_id)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(_("Foto tidak ditemukan."))
    keys = list(photo.keys.values()) + ([photo.original_key] if photo.original_key else [])
    product.photos.remove(photo)
    db.session.commit()
    for key in keys:  # files go after the row is gone: a failed commit leaves both
        storage().delete(key)


def move_photo(actor: User, product_id: int, photo_id: int, to: str) -> None:
    """to: 'main' (first), 'up' or 'down'."""
    product = product_for_member(actor, product_id)
    photos = list(product.photos)
    index = next((i for i, p in enumerate(photos) if p.id == photo_id), None)
    if index is None:
        raise NotFound(_("Foto tidak ditemukan."))
    photo = photos.pop(index)
    target = {"main": 0, "up": max(0, index - 1), "down": min(len(photos), index + 1)}.get(to)
    if target is None:
        raise ValidationFailed(_("Arah tidak dikenal."))
    photos.insert(target, photo)
    for i, p in enumerate(photos):
        p.position = i
    db.session.commit()
