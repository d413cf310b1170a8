"""Domain objects as the JSON of API.md."""
from __future__ import annotations

from app.core import regions
from app.core.images_url import photo_variants


def group_ref(g) -> dict:
    return {"slug": g.slug, "name": g.name, "province": g.province_code, "regency": g.regency_code}


def group(g) -> dict:
    return {
        "slug": g.slug, "name": g.name,
        "province": g.province_code, "province_name": regions.province_name(g.province_code),
        "regency": g.regency_code, "regency_name": regions.regency_name(g.regency_code),
        "district": g.district, "village": g.village, "business_type": g.business_type,
        "founded_year": g.founded_year, "member_count": g.member_count, "story": g.story,
        "whatsapp": g.whatsapp, "status": g.status, "created_at": g.created_at.isoformat(),
    }


def photo(p) -> dict:
    variants = photo_variants(p)
    return {"id": p.id, "url": variants[str(max(p.widths()))], "width": p.width, "height": p.height,
            "variants": variants}


def permit(p) -> dict:
    return {"id": p.id, "type": p.type, "number": p.number, "status": p.effective_status,
            "expires_on": p.expires_on.isoformat() if p.expires_on else None}


def product_item(p) -> dict:
    return {
        "id": p.id, "slug": p.slug, "name": p.name, "category": p.category.slug, "price_idr": p.price_idr,
        "unit": p.unit, "net_weight_g": p.net_weight_g, "stock": p.stock, "min_order_qty": p.min_order_qty,
        "price_tiers": [{"min_qty": t.min_qty, "unit_price_idr": t.unit_price_idr} for t in p.tiers],
        "group": group_ref(p.group),
        "permits": [permit(x) for x in p.permits],
        "photos": [photo(x) for x in p.photos],
        "rating": {"average": None, "count": 0},
    }


def product_detail(p) -> dict:
    return {**product_item(p), "description": p.description or "", "ingredients": p.ingredients,
            "shelf_life_days": p.shelf_life_days, "status": p.status}
