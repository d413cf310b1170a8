"""The pages of joining a group by link: the chair makes or revokes the link and answers requests (on the
group's manage page); the person who opens /join/<token> signs in or up with her phone number and asks."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError
from app.core.links import external_url
from app.extensions import limiter

from . import join_links
from .views import bp


@bp.post("/groups/<slug>/join-link")
@login_required
def create_join_link(slug: str):
    join_links.create_link(current_user, slug)
    flash(_("Tautan gabung dibuat. Berlaku 7 hari."), "success")
    return redirect(url_for("groups.manage", slug=slug) + "#join")


@bp.post("/groups/<slug>/join-link/revoke")
@login_required
def revoke_join_link(slug: str):
    join_links.revoke_link(current_user, slug)
    flash(_("Tautan gabung dicabut: tidak bisa dipakai lagi."), "info")
    return redirect(url_for("groups.manage", slug=slug) + "#join")


@bp.post("/groups/<slug>/join-requests/<int:request_id>/<any(confirm, refuse):answer>")
@login_required
def answer_join_request(slug: str, request_id: int, answer: str):
    try:
        row = join_links.decide(current_user, slug, request_id, confirm=answer == "confirm")
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(exc.detail, "error")
    else:
        if row.status == "confirmed":
            flash(_("%(name)s sekarang anggota kelompok.", name=row.user.name), "success")
        else:
            flash(_("Permintaan %(name)s ditolak.", name=row.user.name), "info")
    return redirect(url_for("groups.manage", slug=slug) + "#join")


@bp.get("/join/<token>")
def join(token: str):
    seen = join_links.visit(token, current_user)  # 404 for an unknown, revoked or expired link
    if seen.member:
        return redirect(url_for("sales.group_home", slug=seen.link.group.slug))
    here = url_for("groups.join", token=token)
    response = make_response(render_template("groups/join.html", seen=seen, group=seen.link.group, here=here))
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@bp.post("/join/<token>")
@login_required
@limiter.limit("20 per hour")
def ask_to_join(token: str):
    try:
        join_links.ask_to_join(current_user, token, lambda slug: external_url("groups.manage", slug=slug) + "#join")
    except DomainError as exc:
        if exc.status == 404:
            raise
    flash(_("Permintaan terkirim. Ketua kelompok akan mengonfirmasi."), "success")
    return redirect(url_for("groups.join", token=token))
