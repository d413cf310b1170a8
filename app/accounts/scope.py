"""Who may act where: an officer's (or admin's) area, checked in the services of every area, and the
record of each officer's decision (who, when, why and where). Officers of a province or a kabupaten/kota
see and act only there; outside it is Forbidden (403)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import literal, select

from app.core import regions, validate
from app.core.errors import Forbidden, ValidationFailed
from app.extensions import db

from .models import Decision, User


@dataclass(frozen=True)
class Area:
    province: str | None = None
    regency: str | None = None

    @property
    def name(self) -> str:
        if self.regency:
            return regions.regency_name(self.regency)
        if self.province:
            return regions.province_name(self.province)
        return "Indonesia"

    def covers(self, province: str | None, regency: str | None) -> bool:
        if self.regency:
            return regency == self.regency
        if self.province:
            return province == self.province
        return True

    def where(self, province_col, regency_col):
        if self.regency:
            return regency_col == self.regency
        if self.province:
            return province_col == self.province
        return literal(True)


def scope_of(actor: User) -> Area:
    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("Hanya untuk petugas."))
    if actor.is_admin:
        return Area()
    if not actor.is_officer:
        raise Forbidden(_("Hanya untuk petugas."))
    return Area(actor.scope_province, actor.scope_regency)


def area_for(actor: User, province: str | None = None, regency: str | None = None) -> Area:
    """The area asked for, which must lie inside the actor's scope (403 otherwise)."""
    scope = scope_of(actor)
    if regency:
        reg = regions.regency(regency)
        if reg is None:
            raise ValidationFailed(
                _("Kabupaten/kota tidak dikenal."), {"regency": [_("Kabupaten/kota tidak dikenal.")]}
            )
        if province and province != reg.province_code:
            raise ValidationFailed(
                _("Kabupaten/kota ini tidak berada di provinsi tersebut."),
                {"regency": [_("Kabupaten/kota ini tidak berada di provinsi tersebut.")]},
            )
        area = Area(reg.province_code, reg.code)
    elif province:
        if regions.province(province) is None:
            raise ValidationFailed(_("Provinsi tidak dikenal."), {"province": [_("Provinsi tidak dikenal.")]})
        area = Area(province)
    else:
        return scope
    if not scope.covers(area.province, area.regency) or (scope.regency and not area.regency):
        raise Forbidden(_("Wilayah ini di luar cakupan Anda."))
    return area


def check_scope(actor: User, province: str | None, regency: str | None) -> Area:
    scope = scope_of(actor)
    if not scope.covers(province, regency):
        raise Forbidden(_("Wilayah ini di luar cakupan Anda."))
    return scope


def log_decision(
    actor: User, kind: str, object_id: int, decision: str, reason: str | None, province: str | None, regency: str | None
) -> None:
    db.session.add(
        Decision(
            kind=kind,
            object_id=object_id,
            decision=decision,
            reason=reason,
            actor_id=actor.id,
            province_code=province,
            regency_code=regency,
        )
    )


def reason_given(reason: str | None, required: bool) -> str | None:
    errors: dict[str, list[str]] = {}
    text = validate.text(reason, errors, "reason", max_len=500, min_len=3, required=required)
    if errors:
        raise ValidationFailed(_("Tuliskan alasannya."), errors)
    return text


def decisions_about(kind: str, object_id: int) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision).where(Decision.kind == kind, Decision.object_id == object_id).order_by(Decision.id)
        )
    )
