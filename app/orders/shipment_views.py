"""The group hands an order to a courier ("Minta dijemput", or the waybill from the counter), prints its
label; Biteship's webhook reports the parcel's steps."""

from __future__ import annotations

from flask import flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import DomainError
from app.core.http import problem
from app.extensions import csrf, limiter

from . import label_pdf, services, shipments
from .views import bp


@bp.post("/orders/<int:order_id>/shipments")
@login_required
def ship_order(order_id: int):
    form = request.form
    booking = form.get("action") == "book"
    waybill = None if booking else (form.get("waybill") or "").strip()
    if booking or waybill:
        _ship(order_id, form.get("courier"), form.get("service"), waybill)
    else:
        flash(_("Ketik nomor resi dari loket, atau tekan Minta dijemput."), "error")
    order = services.order_for_group_member(current_user, order_id)
    return redirect(url_for("orders.group_orders", slug=order.group.slug) + f"#order-{order.id}")


def _ship(order_id: int, courier, service, waybill) -> None:
    try:
        shipment = shipments.ship(current_user, order_id, courier, service, waybill)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash(" ".join(m for ms in exc.errors.values() for m in ms) or exc.detail, "error")
    else:
        if waybill:
            flash(_("Nomor resi %(w)s dicatat. Pesanan dikirim.", w=shipment.waybill), "success")
        else:
            flash(
                _("Kurir dipesan. Nomor resi: %(w)s. Cetak labelnya dan tempel di paket.", w=shipment.waybill),
                "success",
            )


@bp.get("/orders/<int:order_id>/label.pdf")
@login_required
def shipping_label(order_id: int):
    order = services.order_for_group_member(current_user, order_id)
    if order.shipment is None:
        flash(_("Pesanan ini belum diserahkan ke kurir."), "error")
        return redirect(url_for("orders.group_orders", slug=order.group.slug) + f"#order-{order.id}")
    response = make_response(label_pdf.render(order))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="label-{order.number}.pdf"'
    return response


@bp.post("/webhooks/biteship")
@csrf.exempt  # Biteship signs with its own header, not our form token
@limiter.exempt
def biteship_webhook():
    try:
        result = shipments.handle_webhook(request.headers, request.get_data())
    except DomainError as exc:
        return problem(exc.status, exc.title, exc.detail or "")
    return jsonify({"received": True, "result": result})
