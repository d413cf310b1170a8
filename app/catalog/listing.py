"""Listing a product from a phone: one form that starts with the photos (the camera opens), then name,
category, price, unit and stock. The product is saved with its photos in one step; without a photo or
stock it stays a draft that shows by itself once it has them (visibility.py).

A form that comes back with something to correct keeps the photos that were fine: each one is stored
(privately, under originals/) as a StagedUpload named on the form again by a random token bound to the
member, so she does not have to take it again. A file that is not a usable image is refused at once and
leaves nothing behind; kept uploads nobody came back for go after a day."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import images, jobs
from app.core.errors import ValidationFailed, collect
from app.core.storage import storage
from app.core.types import utcnow
from app.extensions import db

from . import photos, products, visibility
from .access import group_for_selling
from .models import Product, StagedUpload

MAX_LISTING_PHOTOS = 4  # sent with the form; more can be added on the edit page (up to photos.MAX_PHOTOS)
KEPT_FOR = timedelta(days=1)


def request_limit() -> int:
    """The largest new-product form accepted: its photos at their cap each, and the fields around them."""
    return MAX_LISTING_PHOTOS * current_app.config["MAX_UPLOAD_BYTES"] + 256 * 1024


@dataclass
class Kept:
    tokens: list[str] = field(default_factory=list)  # the photos kept for this form, in the order sent
    errors: dict[str, list[str]] = field(default_factory=dict)  # files refused ("photos")


def keep_photos(actor: User, group_slug: str, uploads: list[bytes], carried: list[str]) -> Kept:
    """The photos of a new-product form: those kept from an earlier try (tokens of this member) and the
    new files, each checked (type, size, pixels) and kept; a file refused is named in `errors` and not
    stored. Committed, so they survive a form that comes back."""
    group_for_selling(actor, group_slug)
    staged = staged_of(actor, carried)
    kept = Kept(tokens=[s.token for s in staged])
    seen = {s.content_sha256 for s in staged}
    new = [raw for raw in uploads if raw]  # a file input left empty sends an empty part
    room = MAX_LISTING_PHOTOS - len(staged)
    if len(new) > room:
        collect(
            kept.errors, "photos", _("Paling banyak %(n)s foto sekaligus; tambah sisanya nanti.", n=MAX_LISTING_PHOTOS)
        )
        new = new[: max(room, 0)]
    written: list[str] = []
    try:
        for raw in new:
            digest = hashlib.sha256(raw).hexdigest()
            if digest in seen:
                continue
            row = _stage(actor, raw, digest, kept.errors, written)
            if row is not None:
                seen.add(digest)
                kept.tokens.append(row.token)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in written:
            storage().delete(key)
        raise
    return kept


def _stage(actor: User, raw: bytes, digest: str, errors: dict, written: list[str]) -> StagedUpload | None:
    cfg = current_app.config
    try:
        info = images.inspect(raw, max_bytes=cfg["MAX_UPLOAD_BYTES"], max_pixels=cfg["MAX_IMAGE_PIXELS"])
    except images.ImageRejected as exc:
        collect(errors, "photos", images.rejection_message(exc.code))
        return None
    key = storage().new_key("originals", info.suffix)
    storage().put(key, raw)
    written.append(key)
    row = StagedUpload(
        token=secrets.token_urlsafe(32),
        user_id=actor.id,
        key=key,
        content_sha256=digest,
        width=info.width,
        height=info.height,
    )
    db.session.add(row)
    return row


def staged_of(actor: User, tokens: list[str]) -> list[StagedUpload]:
    """The member's kept photos named by these tokens, in their order (unknown or others' tokens: none)."""
    wanted = [t for t in dict.fromkeys(tokens) if t][:MAX_LISTING_PHOTOS]
    if not wanted:
        return []
    rows = db.session.scalars(
        select(StagedUpload).where(StagedUpload.token.in_(wanted), StagedUpload.user_id == actor.id)
    ).all()
    by_token = {r.token: r for r in rows}
    return [by_token[t] for t in wanted if t in by_token]


def list_product(actor: User, group_slug: str, data: dict, tokens: list[str], refused: dict | None = None) -> Product:
    """Save a new product with its kept photos, in one transaction. `refused`: the errors of files refused
    on the way in (keep_photos), shown with those of the fields; nothing is saved while there are any. A
    product with a photo and stock is on show at once; otherwise a draft that waits for them."""
    group = group_for_selling(actor, group_slug)
    errors: dict[str, list[str]] = {key: list(msgs) for key, msgs in (refused or {}).items()}
    values = products.listing_values(data, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    staged = staged_of(actor, tokens)
    kept_keys = [row.key for row in staged]
    written: list[str] = []
    try:
        product = products.add_waiting_product(group, values)
        written = photos.attach_staged(product, staged)
        visibility.publish_when_ready(product)
        for row in staged:
            db.session.delete(row)
        products.save(product)
    except photos.Unreadable as exc:
        db.session.rollback()
        forget([exc.upload])
        messages = [str(m) for msgs in exc.error.errors.values() for m in msgs] or [exc.error.detail]
        raise ValidationFailed(_("Periksa isian yang ditandai."), {"photos": messages}) from None
    except BaseException:
        db.session.rollback()
        for key in written:
            storage().delete(key)
        raise
    _after_listing(product, kept_keys)
    return product


def _after_listing(product: Product, kept_keys: list[str]) -> None:
    """After the commit: the kept uploads of photos made at once go; photos left to the job are queued (the
    kept upload is their original)."""
    pending = [p for p in product.photos if p.status == "pending"]
    originals = {p.original_key for p in pending}
    for key in kept_keys:
        if key not in originals:
            storage().delete(key)
    for photo in pending:
        jobs.enqueue("photo.variants", photo.id)


def forget(rows: list[StagedUpload]) -> None:
    keys = [r.key for r in rows]
    for row in rows:
        db.session.delete(row)
    db.session.commit()
    for key in keys:  # files go after the rows: a failed commit leaves both
        storage().delete(key)


@jobs.task("listing.forget_kept_photos", every=3600)
def forget_old_kept_photos() -> int:
    """Photos kept for a form nobody came back to, a day on."""
    rows = list(
        db.session.scalars(select(StagedUpload).where(StagedUpload.created_at < utcnow() - KEPT_FOR).limit(500))
    )
    if rows:
        forget(rows)
    return len(rows)
