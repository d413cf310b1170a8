"""The groups' offers on quote requests (pooled supply): making one, who sees which, accepting offers
into orders, closing a request, and the e-mails the groups get about their offers."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.catalog.models import Product
from app.core import validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.timefmt import long_date, today_wib
from app.core.types import utcnow
from app.extensions import db
from app.orders import checkout as orders
from app.orders import notify, quoting, shipping
from app.orders.services import last_address_of_organisation

from . import invoices
from .models import Offer, Organisation, QuoteRequest
from .offer_news import tell_accepted as _tell_accepted
from .offer_news import tell_passed_over as _tell_passed_over
from .organisations import address_for, addresses_of, as_checkout_address, verified_org_of
from .quotes import member_groups, quote_for

LAPSING_DAYS = 3  # an open offer valid for at most this many more days is about to lapse


def visible_offers(actor: User, quote: QuoteRequest, role: str) -> list[Offer]:
    if role in ("buyer", "admin"):
        return list(quote.offers)
    mine = member_groups(actor)
    return [o for o in quote.offers if o.group_id in mine]  # a group sees only its own offers


def make_offer(actor: User, quote_id: int, data: dict) -> Offer:
    """A group answers a quote request. The offer says where its quantity comes from: the stock the
    group has now (checked here, taken on acceptance) or made to order in a lead time (no stock
    drawn). Delivery to the quote's kabupaten/kota is priced now, so the buyer sees the total that the
    order will have."""
    quote, groups = _quote_to_answer(actor, quote_id)
    errors: dict[str, list[str]] = {}
    product = _offered_product(quote, groups, data.get("product_id"), errors)
    price = validate.integer(data.get("unit_price_idr"), errors, "unit_price_idr", low=100, high=1_000_000_000)
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=quote.quantity)
    lead = validate.integer(data.get("lead_time_days"), errors, "lead_time_days", low=0, high=365)
    from_stock = data.get("from_stock", True) is not False
    valid_until = validate.date_value(
        data.get("valid_until"),
        errors,
        "valid_until",
        required=True,
        not_before=invoices.today(),
        too_early=_("Berlaku sampai harus hari ini atau nanti."),
    )
    least = None
    if data.get("min_quantity") not in (None, ""):
        least = validate.integer(data.get("min_quantity"), errors, "min_quantity", low=1, high=quantity or 1)
    _check_supply(product, quantity, from_stock, lead, errors)
    if errors or product is None or quantity is None:  # each has been collected as an error above
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if any(o.group_id == product.group_id for o in quote.offers):
        raise Conflict(_("Kelompok Anda sudah memberi penawaran untuk permintaan ini."))
    zone = shipping.zone(product.group.province_code, quote.delivery_province_code)
    offer = Offer(
        quote_id=quote.id,
        group_id=product.group_id,
        product_id=product.id,
        unit_price_idr=price,
        quantity=quantity,
        min_quantity=least,
        lead_time_days=lead,
        valid_until=valid_until,
        created_by_id=actor.id,
        from_stock=from_stock,
        shipping_idr=shipping.cost(product.net_weight_g * quantity, zone, shipping.rates()),
    )
    db.session.add(offer)
    db.session.commit()
    return offer


def _quote_to_answer(actor: User, quote_id: int) -> tuple[QuoteRequest, set[int]]:
    """An open quote that asked one of the actor's groups, and those of its groups it asked (404 or 409
    otherwise)."""
    quote, role = quote_for(actor, quote_id)
    if role != "group":
        raise NotFound(_("Permintaan tidak ditemukan."))
    if quote.status != "open":
        raise Conflict(_("Permintaan ini sudah ditutup."))
    return quote, member_groups(actor) & {r.group_id for r in quote.recipients}


def _offered_product(quote: QuoteRequest, groups: set[int], product_id, errors: dict[str, list[str]]) -> Product | None:
    """The product offered: the one chosen, or the quote's, or for a category quote the group's one
    product of that category when there is just one; it must be an active product of the group, of the
    category asked, with its permit in force (errors collected)."""
    product_id = product_id or quote.product_id
    if not product_id:  # a category quote: the group's one product of that category, when there is just one
        candidates = list(
            db.session.scalars(
                select(Product.id).where(
                    Product.group_id.in_(groups), Product.category_id == quote.category_id, Product.status == "active"
                )
            )
        )
        product_id = candidates[0] if len(candidates) == 1 else None
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or product.group_id not in groups or product.status != "active":
        collect(errors, "product_id", _("Pilih produk kelompok Anda."))
    elif quote.category_id and product.category_id != quote.category_id:
        collect(errors, "product_id", _("Produk ini bukan dari kategori yang diminta."))
    elif product.lapsed_permit is not None:
        collect(errors, "product_id", quoting.lapsed_message(product))
    return product


def _check_supply(
    product: Product | None, quantity: int | None, from_stock: bool, lead: int | None, errors: dict[str, list[str]]
) -> None:
    """From stock: no more than the group has now. Made to order: a lead time of a day at least."""
    if product is not None and quantity and from_stock and quantity > product.stock and "product_id" not in errors:
        collect(
            errors,
            "quantity",
            _(
                "Stok %(p)s tinggal %(n)s. Tawarkan paling banyak %(n)s dari stok, atau pilih "
                '"dibuat dulu" dengan waktu produksinya.',
                p=product.name,
                n=product.stock,
            ),
        )
    if not from_stock and lead is not None and lead < 1:
        collect(errors, "lead_time_days", _("Barang yang dibuat dulu perlu waktu produksi, paling sedikit 1 hari."))


def accept_offers(
    actor: User,
    quote_id: int,
    offer_ids: list[int],
    address_id: int | None = None,
    quantities: dict[int, int | None] | None = None,
):
    """The buyer accepts one offer, or several together: each group's order is made at once, at the
    offer's price and shipping, under the quote's purchase number. An offer may cover less than the
    quantity asked; the quote stays open for more acceptances until it is covered or the buyer closes
    it. All or nothing per call: an offer already accepted, expired, or whose stock is gone creates
    nothing (409, saying which group and what is left). `quantities` (offer id -> how many) takes a part
    of an offer, down to the least its group allows (422 outside)."""
    quote, org, chosen = _offers_to_accept(actor, quote_id, offer_ids)
    _take_parts(chosen, quantities or {})
    values = orders.clean_address(_delivery_address(actor, org, quote, address_id), {})
    pooled = _pooled_quote(quote, chosen)
    method = "invoice" if invoices.can_use_terms(org) else "bank_transfer"
    passed_over = _mark_accepted(quote, chosen)
    checkout = _write_orders(actor, quote, chosen, org, method, pooled, values)
    quote.checkout_id = checkout.id
    db.session.commit()
    _tell_after_acceptance(quote, chosen, passed_over, checkout, method)
    return checkout


def _offers_to_accept(
    actor: User, quote_id: int, offer_ids: list[int]
) -> tuple[QuoteRequest, Organisation, list[Offer]]:
    """The buyer's quote, its verified organisation, and the chosen offers when every one of them can
    still be accepted (404, 403 or 409 otherwise)."""
    quote, role = quote_for(actor, quote_id)
    if role != "buyer":
        raise NotFound(_("Permintaan tidak ditemukan."))
    org = verified_org_of(actor)
    if org is None:
        raise Forbidden(_("Organisasi Anda belum terverifikasi."))
    chosen = [o for o in quote.offers if o.id in set(offer_ids)]
    if not chosen or len(chosen) != len(set(offer_ids)):
        raise NotFound(_("Penawaran tidak ditemukan."))
    taken = [o for o in chosen if o.status == "accepted"]
    if taken:
        raise Conflict(_("Penawaran %(g)s sudah diterima sebelumnya.", g=taken[0].group.name))
    if quote.status != "open" or any(o.status != "open" for o in chosen):
        raise Conflict(_("Permintaan ini sudah ditutup."))
    lapsed = [o for o in chosen if o.product.lapsed_permit is not None]
    if lapsed:
        raise Conflict(quoting.lapsed_message(lapsed[0].product))
    today = invoices.today()
    expired = [o for o in chosen if o.valid_until < today]
    if expired:
        raise Conflict(
            _(
                "Penawaran %(g)s sudah tidak berlaku (sampai %(d)s).",
                g=expired[0].group.name,
                d=long_date(expired[0].valid_until),
            )
        )
    return quote, org, chosen


def last_delivery(actor: User) -> dict | None:
    """Where the actor's organisation's last order went: where an offer goes when it has saved no outlet."""
    org = verified_org_of(actor)
    return last_address_of_organisation(org.id) if org is not None else None


def _take_parts(chosen: list[Offer], quantities: dict[int, int | None]) -> None:
    """How much of each offer the buyer takes: all of it unless a quantity is given."""
    errors: dict[str, list[str]] = {}
    for offer in chosen:
        wanted = quantities.get(offer.id)
        if wanted is None or wanted == offer.quantity:
            continue
        least = offer.min_quantity or 1
        if not least <= wanted <= offer.quantity:
            collect(
                errors,
                "quantity",
                _(
                    "Ambil dari %(g)s antara %(a)s dan %(b)s %(u)s.",
                    g=offer.group.name,
                    a=least,
                    b=offer.quantity,
                    u=offer.product.unit,
                ),
            )
        else:
            offer.accepted_quantity = wanted
    if errors:
        db.session.rollback()
        raise ValidationFailed(_("Periksa jumlah yang diambil."), errors)


def _delivery_address(actor: User, org: Organisation, quote: QuoteRequest, address_id: int | None) -> dict:
    """Where the goods go, as a checkout's address: the outlet chosen; else the organisation's outlet in the
    quote's kabupaten/kota, else its first; else the address its last order went to. 422 only when it has
    none of these."""
    if address_id:
        return as_checkout_address(address_for(actor, address_id))
    addresses = addresses_of(org)
    if addresses:
        chosen = next((a for a in addresses if a.regency_code == quote.delivery_regency_code), addresses[0])
        return as_checkout_address(chosen)
    last = last_address_of_organisation(org.id)
    if last is not None:
        return last
    raise ValidationFailed(
        _("Tambahkan alamat pengiriman organisasi dulu."),
        {"address_id": [_("Tambahkan alamat pengiriman organisasi dulu.")]},
    )


def _pooled_quote(quote: QuoteRequest, chosen: list[Offer]) -> quoting.Quote:
    """The checkout's quote: one order per group, at the offers' prices and shipping."""
    by_group: dict[int, quoting.GroupQuote] = {}
    for offer in chosen:
        gq = by_group.setdefault(offer.group_id, quoting.GroupQuote(group=offer.group))
        taken = offer.taken_quantity
        gq.lines.append(quoting.QuoteLine(offer.product, taken, offer.unit_price_idr))
        gq.zone = shipping.zone(offer.group.province_code, quote.delivery_province_code)
        gq.shipping_idr += offer.shipping_for(taken)  # as the offer said, whatever the rate table says today
    return quoting.Quote(groups=list(by_group.values()), errors={}, stock_errors={})


def _mark_accepted(quote: QuoteRequest, chosen: list[Offer]) -> list[Offer]:
    """The chosen offers are accepted; once the quantity asked is covered the quote is too, and its other
    open offers are declined (returned, so their groups are told)."""
    for offer in chosen:
        offer.status = "accepted"
    quote.accepted_at = utcnow()
    covered = quote.uncovered_quantity == 0
    passed_over = [o for o in quote.offers if o.status == "open"] if covered else []
    if covered:
        quote.status = "accepted"
        for offer in passed_over:
            offer.status = "declined"
    return passed_over


def _write_orders(
    actor: User,
    quote: QuoteRequest,
    chosen: list[Offer],
    org: Organisation,
    method: str,
    pooled: quoting.Quote,
    values: dict,
):
    """The checkout and its orders, under the quote's purchase number; stock is drawn for the offers from
    stock only (made to order draws none)."""
    stock_items = [(o.product_id, o.taken_quantity) for o in chosen if o.from_stock]
    try:
        return orders.write_checkout(
            actor,
            method,
            pooled,
            values,
            actor.email,
            actor.phone or values["ship_phone"],
            None,
            secrets.token_urlsafe(24),
            None,
            items=stock_items,
            org=org,
            purchase_number=quote.purchase_number,
        )
    except Conflict as exc:  # sold to others since the offer was made: say what the buyer can do
        raise Conflict(
            _(
                "%(what)s Stok itu terjual sejak penawaran dibuat. Pilih penawaran lain, atau minta kelompoknya "
                "memperbarui penawaran.",
                what=exc.detail,
            ),
            exc.errors,
        ) from None


def _tell_after_acceptance(
    quote: QuoteRequest, chosen: list[Offer], passed_over: list[Offer], checkout, method: str
) -> None:
    if method == "invoice":
        notify.checkout_paid(checkout)  # on terms: the groups can start now
    else:
        notify.checkout_placed(checkout)
    _tell_accepted(quote, chosen, checkout)
    _tell_passed_over(quote, passed_over)


def close_quote(actor: User, quote_id: int) -> QuoteRequest:
    """The buyer has what it needs (or no longer needs it): open offers are declined and their groups told."""
    quote, role = quote_for(actor, quote_id)
    if role != "buyer":
        raise NotFound(_("Permintaan tidak ditemukan."))
    if quote.status != "open":
        raise Conflict(_("Permintaan ini sudah ditutup."))
    passed_over = [o for o in quote.offers if o.status == "open"]
    for offer in passed_over:
        offer.status = "declined"
    quote.status = "closed"
    db.session.commit()
    _tell_passed_over(quote, passed_over)
    return quote


def offers_lapsing(group_id: int) -> tuple[int, int | None]:
    """How many of the group's open offers, on requests still open, run out within LAPSING_DAYS (today
    included), and the oldest of their requests (the one to open when there is one)."""
    today = today_wib()
    count, first = db.session.execute(
        select(func.count(Offer.id), func.min(Offer.quote_id))
        .join(QuoteRequest, QuoteRequest.id == Offer.quote_id)
        .where(
            Offer.group_id == group_id,
            Offer.status == "open",
            QuoteRequest.status == "open",
            Offer.valid_until.between(today, today + timedelta(days=LAPSING_DAYS)),
        )
    ).one()
    return count, first
