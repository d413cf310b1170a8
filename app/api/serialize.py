"""Domain objects as the JSON of API.md."""

from __future__ import annotations

from app.core import regions
from app.core.images_url import photo_variants
from app.orders.status import next_statuses


def group_ref(g) -> dict:
    return {"slug": g.slug, "name": g.name, "province": g.province_code, "regency": g.regency_code}


def group(g) -> dict:
    return {
        "slug": g.slug,
        "name": g.name,
        "province": g.province_code,
        "province_name": regions.province_name(g.province_code),
        "regency": g.regency_code,
        "regency_name": regions.regency_name(g.regency_code),
        "district": g.district,
        "village": g.village,
        "business_type": g.business_type,
        "founded_year": g.founded_year,
        "member_count": g.member_count,
        "story": g.story,
        "whatsapp": g.whatsapp,
        "status": g.status,
        "created_at": g.created_at.isoformat(),
    }


PHOTO_STATUS = {"ready": "ready", "pending": "processing", "failed": "failed"}


def photo(p) -> dict:
    """A photo in any state: until its sizes are made (a job) it has no URL yet."""
    variants = photo_variants(p) if p.status == "ready" and p.keys else {}
    widths = p.widths() if variants else []
    return {
        "id": p.id,
        "status": PHOTO_STATUS.get(p.status, "processing"),
        "url": variants[str(max(widths))] if widths else None,
        "width": p.width,
        "height": p.height,
        "variants": variants,
    }


def permit(p) -> dict:
    return {
        "id": p.id,
        "type": p.type,
        "number": p.number,
        "status": p.effective_status,
        "expires_on": p.expires_on.isoformat() if p.expires_on else None,
    }


def product_item(p) -> dict:
    return {
        "id": p.id,
        "slug": p.slug,
        "name": p.name,
        "category": p.category.slug,
        "price_idr": p.price_idr,
        "unit": p.unit,
        "net_weight_g": p.net_weight_g,
        "stock": p.stock,
        "min_order_qty": p.min_order_qty,
        "price_tiers": [{"min_qty": t.min_qty, "unit_price_idr": t.unit_price_idr} for t in p.tiers],
        "group": group_ref(p.group),
        "permits": [permit(x) for x in p.permits],
        "photos": [photo(x) for x in p.shown_photos],
        "rating": {"average": p.rating_average, "count": p.rating_count},
        "export_ready": p.is_export_ready,
    }


def product_detail(p) -> dict:
    return {
        **product_item(p),
        "description": p.description or "",
        "ingredients": p.ingredients,
        "shelf_life_days": p.shelf_life_days,
        "gtin": p.gtin,
        "status": p.status,
    }


def order(o, moves: list[str] | None = None) -> dict:
    """An order; `moves`: what the caller may move it to now (orders.status.next_statuses)."""
    return {
        "next_statuses": [str(s) for s in moves or []],
        "id": o.id,
        "number": o.number,
        "checkout_id": o.checkout_id,
        "group": {"slug": o.group.slug, "name": o.group.name},
        "status": o.status,
        "lines": [
            {
                "product_id": x.product_id,
                "name": x.name,
                "quantity": x.quantity,
                "unit_price_idr": x.unit_price_idr,
                "line_total_idr": x.line_total_idr,
            }
            for x in o.lines
        ],
        "goods_idr": o.goods_idr,
        "shipping_idr": o.shipping_idr,
        "total_idr": o.total_idr,
        "fee_idr": o.fee_idr,
        "net_idr": o.net_idr,
        "shipping_method": o.shipping_method,
        "tracking_number": o.tracking_number,
        "po_number": o.checkout.po_number,
        "pickup_event_id": o.pickup_event_id,
        "pickup_place": o.pickup_place,
        "events": [{"status": e.to_status, "at": e.created_at.isoformat(), "note": e.note} for e in o.events],
        "created_at": o.created_at.isoformat(),
    }


def checkout(c, payment, publishable_key: str | None = None) -> dict:
    pay = {
        "method": payment.method,
        "status": payment.status,
        "amount_idr": payment.amount_idr,
        "pay_before": c.expires_at.isoformat(),
    }
    if payment.method == "stripe":
        pay.update(client_secret=payment.client_secret, publishable_key=publishable_key or None)
    if payment.provider_data and payment.method not in ("stripe", "bank_transfer"):
        keep = ("qr_string", "bank", "va_number", "biller_code", "bill_key", "deeplink_redirect", "expiry_time")
        pay["midtrans"] = {k: payment.provider_data.get(k) for k in keep}
    if payment.method == "bank_transfer":
        pay["bank"] = {
            "bank": payment.bank_name,
            "account_number": payment.bank_account_number,
            "account_name": payment.bank_account_name,
        }
        pay["transfer_code"] = payment.transfer_code
    return {
        "id": c.id,
        "number": c.number,
        "status": c.status,
        "goods_idr": c.goods_idr,
        "shipping_idr": c.shipping_idr,
        "total_idr": c.total_idr,
        "po_number": c.po_number,
        "orders": [order(o, next_statuses(o, "buyer")) for o in c.orders],
        "payment": pay,
    }


def organisation(o) -> dict:
    return {
        "id": o.id,
        "name": o.name,
        "type": o.type,
        "npwp": o.npwp,
        "province": o.province_code,
        "regency": o.regency_code,
        "status": o.status,
        "payment_terms_days": o.payment_terms_days,
        "created_at": o.created_at.isoformat(),
    }


def offer(o) -> dict:
    return {
        "id": o.id,
        "group": {"slug": o.group.slug, "name": o.group.name},
        "product_id": o.product_id,
        "unit_price_idr": o.unit_price_idr,
        "quantity": o.quantity,
        "lead_time_days": o.lead_time_days,
        "valid_until": o.valid_until.isoformat(),
        "status": o.status,
        "from_stock": o.from_stock,
        "min_quantity": o.min_quantity,
        "accepted_quantity": o.taken_quantity if o.status == "accepted" else None,
        "goods_idr": o.goods_idr,
        "shipping_idr": o.shipping_idr,
        "total_idr": o.total_idr,
    }


def quote(q, offers) -> dict:
    return {
        "id": q.id,
        "number": q.number,
        "purchase_number": q.purchase_number,
        "organisation": {"id": q.organisation.id, "name": q.organisation.name},
        "product_id": q.product_id,
        "category": q.category.slug if q.category else None,
        "description": q.description,
        "quantity": q.quantity,
        "needed_by": q.needed_by.isoformat(),
        "delivery_regency": q.delivery_regency_code,
        "status": q.status,
        "groups_asked": len(q.recipients),
        "offers": [offer(o) for o in offers],
        "checkout_id": q.checkout_id,
        "accepted_quantity": q.accepted_quantity,
        "uncovered_quantity": q.uncovered_quantity,
        "currency": q.currency,
        "idr_per_usd": q.idr_per_usd,
        "incoterm": q.incoterm,
        "destination_country": q.destination_country,
        "destination_port": q.destination_port,
    }


def invoice(i, today) -> dict:
    return {
        "id": i.id,
        "number": i.number,
        "order_id": i.order_id,
        "organisation_id": i.organisation_id,
        "amount_idr": i.amount_idr,
        "issued_on": i.issued_on.isoformat(),
        "due_on": i.due_on.isoformat(),
        "status": i.status,
        "overdue": i.status == "unpaid" and i.due_on < today,
        "pdf_url": f"/api/v1/invoices/{i.id}/pdf",
    }


def member(row) -> dict:
    """A membership: who, and her role in the group."""
    return {"user_id": row.user_id, "name": row.user.name, "role": row.role}


def invitation(row) -> dict:
    return {"email": row.email, "role": row.role, "expires_at": row.expires_at.isoformat()}
