"""Publishing events: an officer publishes a bazaar, exhibition or festival for a place inside their
scope (an admin anywhere), edits it, cancels it, and lists the events of their area."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.scope import check_scope, scope_of
from app.core import regions, validate
from app.core.errors import NotFound, ValidationFailed, collect
from app.core.text import slugify
from app.core.timefmt import today_wib
from app.core.types import utcnow
from app.extensions import db

from .models import EVENT_KINDS, OPEN_TO, Event

MAX_DAYS = 31


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    name = validate.text(data.get("name"), errors, "name", max_len=120, min_len=3)
    kind = data.get("kind")
    if kind not in EVENT_KINDS:
        collect(errors, "kind", _("Pilih bazar, pameran atau festival."))
    open_to = data.get("open_to") or "semua"
    if open_to not in OPEN_TO:
        collect(errors, "open_to", _("Pilih siapa yang boleh ikut."))
    reg = regions.regency(data.get("regency") or "") if isinstance(data.get("regency"), str) else None
    if reg is None:
        collect(errors, "regency", _("Pilih kabupaten/kota."))
    address = validate.text(data.get("address"), errors, "address", max_len=255, min_len=3)
    today = today_wib()
    starts = validate.date_value(
        data.get("starts_on"),
        errors,
        "starts_on",
        required=True,
        not_before=today,
        too_early=_("Acara tidak bisa dimulai di masa lalu."),
    )
    ends = validate.date_value(data.get("ends_on"), errors, "ends_on", required=True)
    if starts and ends:
        if ends < starts:
            collect(errors, "ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif (ends - starts).days >= MAX_DAYS:
            collect(errors, "ends_on", _("Acara paling lama %(n)s hari.", n=MAX_DAYS))
        elif starts > today + timedelta(days=730):
            collect(errors, "starts_on", _("Terbitkan acara paling lambat dua tahun sebelumnya."))
    description = validate.text(data.get("description"), errors, "description", max_len=1000, required=False)
    if errors or reg is None:  # no kabupaten/kota has been collected as an error above
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    return {
        "name": name,
        "kind": kind,
        "open_to": open_to,
        "province_code": reg.province_code,
        "regency_code": reg.code,
        "address": address,
        "starts_on": starts,
        "ends_on": ends,
        "description": description,
    }


def _slug(name: str, starts: date) -> str:
    base = slugify(f"{name} {starts:%Y}", max_length=80)
    taken = db.session.scalar(select(Event.id).where(Event.slug == base))
    return base if taken is None else f"{base}-{secrets.token_hex(2)}"


def publish(actor: User, data: dict) -> Event:
    """An officer publishes for a place inside their scope (403 outside it); an admin anywhere."""
    values = _clean(data)
    check_scope(actor, values["province_code"], values["regency_code"])
    event = Event(slug=_slug(values["name"], values["starts_on"]), created_by_id=actor.id, **values)
    db.session.add(event)
    db.session.commit()
    return event


def event_for_officer(actor: User, slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("Acara tidak ditemukan."))
    check_scope(actor, event.province_code, event.regency_code)
    return event


def update(actor: User, slug: str, data: dict) -> Event:
    event = event_for_officer(actor, slug)
    values = _clean(data)
    check_scope(actor, values["province_code"], values["regency_code"])
    for key, value in values.items():
        setattr(event, key, value)
    db.session.commit()
    return event


def cancel(actor: User, slug: str) -> Event:
    """Cancelled events stay visible as cancelled; reservations for pick-up there are the groups' to
    settle with the buyers (each order shows where it was to be collected)."""
    event = event_for_officer(actor, slug)
    if event.cancelled_at is None:
        event.cancelled_at = utcnow()
        db.session.commit()
    return event


def events_for_officer(actor: User) -> list[Event]:
    scope = scope_of(actor)
    return list(
        db.session.scalars(
            select(Event)
            .where(scope.where(Event.province_code, Event.regency_code))
            .order_by(Event.starts_on.desc(), Event.id.desc())
            .limit(200)
        )
    )
