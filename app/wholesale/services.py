"""Business buyers: organisations and staff, outlets, quote requests and offers (pooled supply),
terms, partnerships."""
from __future__ import annotations

import re
import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.accounts.models import User
from app.accounts.scope import check_scope, log_decision, reason_given, scope_of
from app.catalog.models import Category, Product
from app.core import mail, regions, validate
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, collect
from app.core.timefmt import long_date
from app.core.types import utcnow
from app.extensions import db
from app.groups.models import Group, Membership
from app.groups.services import group_in_scope
from app.orders import gateway, shipping
from app.orders import services as orders
from app.orders.models import Order

from . import invoices
from .models import (
    ORG_TYPES,
    TERMS,
    DeliveryAddress,
    Offer,
    Organisation,
    OrganisationStaff,
    Partnership,
    QuoteRecipient,
    QuoteRequest,
)

_NPWP = re.compile(r"^\d{15}(\d)?$")  # 15 digits (99.999.999.9-999.999), or the 16-digit NIK-based form since 2024


# ------------------------------------------------------------------ organisations

def org_of(user: User | None) -> Organisation | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    staff = db.session.scalar(select(OrganisationStaff).where(OrganisationStaff.user_id == user.id))
    return staff.organisation if staff else None


def plug_into_checkout() -> None:
    """Checkout learns which business buyer a user works for, and its outlets, through these (orders never
    imports wholesale)."""
    gateway.register_organisation_lookup(org_of)
    gateway.register_address_book(lambda user: addresses_of(verified_org_of(user)))


def verified_org_of(user: User | None) -> Organisation | None:
    org = org_of(user)
    return org if org is not None and org.is_verified else None


def check_terms(org: Organisation | None) -> Organisation:
    if org is None or not org.is_verified:
        raise Forbidden(_("Bayar dengan invoice hanya untuk pembeli bisnis yang terverifikasi."))
    if org.payment_terms_days <= 0:
        raise Forbidden(_("Organisasi Anda belum mendapat tempo pembayaran."))
    if invoices.overdue_count(org):
        raise Forbidden(_("Ada invoice yang lewat jatuh tempo: lunasi dulu sebelum memakai tempo lagi."))
    return org


def can_use_terms(org: Organisation | None) -> bool:
    try:
        check_terms(org)
        return True
    except Forbidden:
        return False


def _clean_org(data: dict, errors: dict) -> dict:
    out = {"name": validate.text(data.get("name"), errors, "name", max_len=160, min_len=3)}
    if data.get("type") not in ORG_TYPES:
        collect(errors, "type", _("Pilih jenis usaha dari daftar."))
    out["type"] = data.get("type")
    npwp = data.get("npwp")
    if npwp:
        digits = re.sub(r"[.\-\s]", "", str(npwp))
        if not _NPWP.match(digits):
            collect(errors, "npwp", _("NPWP 15 angka (99.999.999.9-999.999) atau 16 angka."))
        out["npwp"] = digits
    reg = regions.regency(data.get("regency"))
    if reg is None:
        collect(errors, "regency", _("Pilih kabupaten/kota dari daftar."))
    elif data.get("province") and data["province"] != reg.province_code:
        collect(errors, "province", _("Kabupaten/kota ini tidak berada di provinsi tersebut."))
    else:
        out["regency_code"], out["province_code"] = reg.code, reg.province_code
    out["address"] = validate.text(data.get("address"), errors, "address", max_len=255, required=False)
    return out


def register_org(user: User, data: dict) -> Organisation:
    errors: dict[str, list[str]] = {}
    values = _clean_org(data, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if org_of(user) is not None:
        raise Conflict(_("Akun ini sudah menjadi staf sebuah organisasi."))
    org = Organisation(status="pending", **values)
    db.session.add(org)
    db.session.flush()
    db.session.add(OrganisationStaff(organisation_id=org.id, user_id=user.id))
    db.session.commit()
    return org


def org_for_staff(actor: User, org_id: int) -> Organisation:
    org = org_of(actor)
    if org is None or org.id != org_id:
        if actor.is_admin:
            found = db.session.get(Organisation, org_id)
            if found:
                return found
        raise NotFound(_("Organisasi tidak ditemukan."))
    return org


def invite_staff(actor: User, org_id: int, email: str, link):
    """Staff invite a colleague by e-mail; sent whether or not the address has an account."""
    from app.accounts.services import invite

    org = org_for_staff(actor, org_id)
    errors: dict[str, list[str]] = {}
    clean = validate.email(email, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if db.session.scalar(select(OrganisationStaff.id).join(User, User.id == OrganisationStaff.user_id)
                         .where(OrganisationStaff.organisation_id == org.id, User.email == clean)):
        raise Conflict(_("Orang ini sudah menjadi staf organisasi Anda."),
                       {"email": [_("Orang ini sudah menjadi staf organisasi Anda.")]})
    return invite(actor, clean, "organisation", org.id, None, what=org.name, link=link)


def join_by_invitation(user: User, invitation) -> None:
    """Accepting an invitation to a business buyer's staff (in the caller's transaction)."""
    current = org_of(user)
    if current is not None and current.id != invitation.target_id:
        raise Conflict(_("Akun ini sudah menjadi staf organisasi lain."))
    if current is None:
        db.session.add(OrganisationStaff(organisation_id=invitation.target_id, user_id=user.id))


def invitation_name(invitation) -> str:
    org = db.session.get(Organisation, invitation.target_id)
    return org.name if org else ""


def staff_of(org: Organisation) -> list[OrganisationStaff]:
    return list(db.session.scalars(select(OrganisationStaff).where(OrganisationStaff.organisation_id == org.id)))


def verify_org(actor: User, org_id: int, terms_days: int = 0) -> Organisation:
    """An admin, or an officer of the organisation's province, verifies it and grants its terms."""
    scope_of(actor)  # officers and admins only (403)
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    check_scope(actor, org.province_code, org.regency_code)
    if terms_days not in TERMS:
        raise ValidationFailed(_("Tempo 0, 14 atau 30 hari."), {"payment_terms_days": [_("Tempo 0, 14 atau 30 hari.")]})
    org.status, org.payment_terms_days = "verified", terms_days
    org.verified_at, org.verified_by_id, org.status_reason = utcnow(), actor.id, None
    log_decision(actor, "organisation", org.id, "verified", None, org.province_code, org.regency_code)
    db.session.commit()
    return org


def reject_org(actor: User, org_id: int, reason: str) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    check_scope(actor, org.province_code, org.regency_code)
    text = reason_given(reason, required=True)
    org.status, org.status_reason = "rejected", text
    log_decision(actor, "organisation", org.id, "rejected", text, org.province_code, org.regency_code)
    db.session.commit()
    return org


def verified_organisations(limit: int = 500) -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.status == "verified")
                                   .order_by(Organisation.name).limit(limit)))


def pending_orgs(actor: User) -> list[Organisation]:
    area = scope_of(actor)
    return list(db.session.scalars(select(Organisation).where(
        Organisation.status == "pending", area.where(Organisation.province_code, Organisation.regency_code))
        .order_by(Organisation.id)))


# ------------------------------------------------------------------ outlets

def add_address(actor: User, data: dict) -> DeliveryAddress:
    org = org_of(actor)
    if org is None:
        raise Forbidden(_("Hanya staf pembeli bisnis."))
    errors: dict[str, list[str]] = {}
    label = validate.text(data.get("label"), errors, "label", max_len=80)
    values = orders.clean_address(data, errors)
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), {k.replace("shipping_address.", ""): v for k, v in errors.items()})
    row = DeliveryAddress(organisation_id=org.id, label=label, name=values["ship_name"], phone=values["ship_phone"],
                          street=values["ship_street"], village=values["ship_village"], district=values["ship_district"],
                          regency_code=values["ship_regency_code"], province_code=values["ship_province_code"],
                          postal_code=values["ship_postal_code"])
    db.session.add(row)
    db.session.commit()
    return row


def addresses_of(org: Organisation | None) -> list[DeliveryAddress]:
    if org is None:
        return []
    return list(db.session.scalars(select(DeliveryAddress).where(DeliveryAddress.organisation_id == org.id)
                                   .order_by(DeliveryAddress.label)))


def address_for(actor: User, address_id: int) -> DeliveryAddress:
    org = org_of(actor)
    row = db.session.get(DeliveryAddress, address_id)
    if row is None or org is None or row.organisation_id != org.id:
        raise NotFound(_("Alamat tidak ditemukan."))
    return row


def as_checkout_address(row: DeliveryAddress) -> dict:
    return {"name": row.name, "phone": row.phone, "street": row.street, "village": row.village, "district": row.district,
            "regency": row.regency_code, "province": row.province_code, "postal_code": row.postal_code}


# ------------------------------------------------------------------ quote requests

def create_quote(actor: User, data: dict) -> QuoteRequest:
    org = verified_org_of(actor)
    if org is None:
        raise Forbidden(_("Permintaan penawaran untuk pembeli bisnis yang terverifikasi."))
    errors: dict[str, list[str]] = {}
    product = category = None
    if data.get("product_id"):
        product = db.session.get(Product, data["product_id"])
        if product is None or not product.is_public:
            collect(errors, "product_id", _("Produk tidak tersedia."))
        elif product.lapsed_permit is not None:
            collect(errors, "product_id", orders.lapsed_message(product))
    elif data.get("category"):
        category = db.session.scalar(select(Category).where(Category.slug == data["category"]))
        if category is None:
            collect(errors, "category", _("Kategori tidak dikenal."))
    else:
        collect(errors, "product_id", _("Pilih produk atau kategori."))
    description = validate.text(data.get("description"), errors, "description", max_len=2000, min_len=3)
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=1_000_000)
    needed_by = validate.date_value(data.get("needed_by"), errors, "needed_by", required=True,
                                    not_before=invoices.today(),
                                    too_early=_("Tanggal dibutuhkan harus hari ini atau nanti."))
    terms = {}
    if data.get("export"):  # an export quote: in US dollars, FOB/CIF, for an export-ready product
        from app.export import services as export

        listing = export.export_listing_of(product) if product is not None else None
        if product is not None and listing is None:
            collect(errors, "product_id", _("Produk ini belum siap ekspor."))
        elif listing is not None:
            terms = export.clean_export_terms(product, listing, dict(data, quantity=quantity), errors)
            # goods leave from the group's own kabupaten/kota (FOB: loaded at its nearest port)
            data = dict(data, delivery_regency=data.get("delivery_regency") or product.group.regency_code)
    reg = regions.regency(data.get("delivery_regency"))
    if reg is None:
        collect(errors, "delivery_regency", _("Pilih kabupaten/kota dari daftar."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    quote = QuoteRequest(organisation_id=org.id, created_by_id=actor.id, product_id=product.id if product else None,
                         category_id=(category.id if category else product.category_id), description=description,
                         quantity=quantity, needed_by=needed_by, delivery_regency_code=reg.code,
                         delivery_province_code=reg.province_code, **terms)
    db.session.add(quote)
    db.session.flush()
    groups = _suppliers(quote, product)
    quote.recipients = [QuoteRecipient(group_id=g.id) for g in groups]
    db.session.commit()
    with force_locale("id"):  # the groups read Indonesian, whatever language the buyer uses
        _tell_suppliers(groups, quote, org, reg)
    return quote


def _tell_suppliers(groups, quote: QuoteRequest, org, reg) -> None:
    for g in groups:
        mail.send(_group_emails(g.id), _("Permintaan penawaran %(n)s", n=quote.number),
                  _("%(org)s meminta %(q)s: %(d)s. Dibutuhkan %(when)s di %(place)s.", org=org.name, q=quote.quantity,
                    d=quote.description, when=long_date(quote.needed_by), place=reg.name)
                  + (" " + _("Untuk ekspor: %(term)s ke %(country)s.", term=quote.incoterm,
                             country=quote.destination_country) if quote.currency == "USD" else ""))


def _suppliers(quote: QuoteRequest, product: Product | None) -> list[Group]:
    """The product's group; or the verified groups that sell the category in the delivery province,
    then in the same island group, then anywhere."""
    if product is not None:
        return [product.group]
    sells = exists().where(Product.group_id == Group.id, Product.category_id == quote.category_id,
                           Product.status == "active")
    base = select(Group).where(Group.status == "verified", sells).order_by(Group.id)
    for condition in (Group.province_code == quote.delivery_province_code,
                      Group.province_code.like(quote.delivery_province_code[:1] + "%"), None):
        rows = list(db.session.scalars(base.where(condition) if condition is not None else base.limit(50)))
        if rows:
            return rows
    return []


def _member_groups(actor: User) -> set[int]:
    return set(db.session.scalars(select(Membership.group_id).where(Membership.user_id == actor.id)))


def quote_for(actor: User, quote_id: int) -> tuple[QuoteRequest, str]:
    """The quote and how the actor sees it: 'buyer' (its organisation's staff), 'group' (a group asked), 'admin'."""
    quote = db.session.get(QuoteRequest, quote_id)
    if quote is None:
        raise NotFound(_("Permintaan tidak ditemukan."))
    org = org_of(actor)
    if org is not None and org.id == quote.organisation_id:
        return quote, "buyer"
    if _member_groups(actor) & {r.group_id for r in quote.recipients}:
        return quote, "group"
    if actor.is_admin:
        return quote, "admin"
    raise NotFound(_("Permintaan tidak ditemukan."))


def visible_offers(actor: User, quote: QuoteRequest, role: str) -> list[Offer]:
    if role in ("buyer", "admin"):
        return list(quote.offers)
    mine = _member_groups(actor)
    return [o for o in quote.offers if o.group_id in mine]  # a group sees only its own offers


def quotes_of_org(org: Organisation) -> list[QuoteRequest]:
    return list(db.session.scalars(select(QuoteRequest).where(QuoteRequest.organisation_id == org.id)
                                   .order_by(QuoteRequest.id.desc())))


def quotes_for_group(group: Group) -> list[QuoteRequest]:
    return list(db.session.scalars(select(QuoteRequest).join(QuoteRecipient).where(QuoteRecipient.group_id == group.id)
                                   .order_by(QuoteRequest.id.desc())))


def make_offer(actor: User, quote_id: int, data: dict) -> Offer:
    """A group answers a quote request. The offer says where its quantity comes from: the stock the
    group has now (checked here, taken on acceptance) or made to order in a lead time (no stock
    drawn). Delivery to the quote's kabupaten/kota is priced now, so the buyer sees the total that the
    order will have."""
    quote, role = quote_for(actor, quote_id)
    if role != "group":
        raise NotFound(_("Permintaan tidak ditemukan."))
    if quote.status != "open":
        raise Conflict(_("Permintaan ini sudah ditutup."))
    groups = _member_groups(actor) & {r.group_id for r in quote.recipients}
    errors: dict[str, list[str]] = {}
    product_id = data.get("product_id") or quote.product_id
    if not product_id:  # a category quote: the group's one product of that category, when there is just one
        candidates = list(db.session.scalars(select(Product.id).where(
            Product.group_id.in_(groups), Product.category_id == quote.category_id, Product.status == "active")))
        product_id = candidates[0] if len(candidates) == 1 else None
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or product.group_id not in groups or product.status != "active":
        collect(errors, "product_id", _("Pilih produk kelompok Anda."))
    elif quote.category_id and product.category_id != quote.category_id:
        collect(errors, "product_id", _("Produk ini bukan dari kategori yang diminta."))
    elif product.lapsed_permit is not None:
        collect(errors, "product_id", orders.lapsed_message(product))
    price = validate.integer(data.get("unit_price_idr"), errors, "unit_price_idr", low=100, high=1_000_000_000)
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=quote.quantity)
    lead = validate.integer(data.get("lead_time_days"), errors, "lead_time_days", low=0, high=365)
    from_stock = data.get("from_stock", True) is not False
    valid_until = validate.date_value(data.get("valid_until"), errors, "valid_until", required=True,
                                      not_before=invoices.today(),
                                      too_early=_("Berlaku sampai harus hari ini atau nanti."))
    if product is not None and quantity and from_stock and quantity > product.stock and "product_id" not in errors:
        collect(errors, "quantity", _("Stok %(p)s tinggal %(n)s. Tawarkan paling banyak %(n)s dari stok, atau pilih "
                                      "\"dibuat dulu\" dengan waktu produksinya.", p=product.name, n=product.stock))
    if not from_stock and lead is not None and lead < 1:
        collect(errors, "lead_time_days", _("Barang yang dibuat dulu perlu waktu produksi, paling sedikit 1 hari."))
    if errors:
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if any(o.group_id == product.group_id for o in quote.offers):
        raise Conflict(_("Kelompok Anda sudah memberi penawaran untuk permintaan ini."))
    zone = shipping.zone(product.group.province_code, quote.delivery_province_code)
    offer = Offer(quote_id=quote.id, group_id=product.group_id, product_id=product.id, unit_price_idr=price,
                  quantity=quantity, lead_time_days=lead, valid_until=valid_until, created_by_id=actor.id,
                  from_stock=from_stock,
                  shipping_idr=shipping.cost(product.net_weight_g * quantity, zone, shipping.rates()))
    db.session.add(offer)
    db.session.commit()
    return offer


def accept_offers(actor: User, quote_id: int, offer_ids: list[int], address_id: int | None = None):
    """The buyer accepts one offer, or several together: each group's order is made at once, at the
    offer's price and shipping, under the quote's purchase number. An offer may cover less than the
    quantity asked; the quote stays open for more acceptances until it is covered or the buyer closes
    it. All or nothing per call: an offer already accepted, expired, or whose stock is gone creates
    nothing (409, saying which group and what is left)."""
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
        raise Conflict(orders.lapsed_message(lapsed[0].product))
    today = invoices.today()
    expired = [o for o in chosen if o.valid_until < today]
    if expired:
        raise Conflict(_("Penawaran %(g)s sudah tidak berlaku (sampai %(d)s).", g=expired[0].group.name,
                         d=long_date(expired[0].valid_until)))
    addresses = addresses_of(org)
    if address_id:
        address = address_for(actor, address_id)
    elif addresses:
        address = next((a for a in addresses if a.regency_code == quote.delivery_regency_code), addresses[0])
    else:
        raise ValidationFailed(_("Tambahkan alamat pengiriman organisasi dulu."),
                               {"address_id": [_("Tambahkan alamat pengiriman organisasi dulu.")]})
    values = orders.clean_address(as_checkout_address(address), {})
    by_group: dict[int, orders.GroupQuote] = {}
    for offer in chosen:
        gq = by_group.setdefault(offer.group_id, orders.GroupQuote(group=offer.group))
        gq.lines.append(orders.QuoteLine(offer.product, offer.quantity, offer.unit_price_idr))
        gq.zone = shipping.zone(offer.group.province_code, quote.delivery_province_code)
        gq.shipping_idr += offer.shipping_idr  # as the offer said, whatever the rate table says today
    q = orders.Quote(groups=list(by_group.values()), errors={}, stock_errors={})
    method = "invoice" if can_use_terms(org) else "bank_transfer"
    for offer in chosen:
        offer.status = "accepted"
    quote.accepted_at = utcnow()
    covered = quote.uncovered_quantity == 0
    passed_over = [o for o in quote.offers if o.status == "open"] if covered else []
    if covered:
        quote.status = "accepted"
        for offer in passed_over:
            offer.status = "declined"
    stock_items = [(o.product_id, o.quantity) for o in chosen if o.from_stock]  # made to order draws no stock
    try:
        checkout = orders.write_checkout(actor, method, q, values, actor.email, actor.phone or address.phone, None,
                                         secrets.token_urlsafe(24), None, items=stock_items, org=org,
                                         purchase_number=quote.purchase_number)
    except Conflict as exc:  # sold to others since the offer was made: say what the buyer can do
        raise Conflict(_("%(what)s Stok itu terjual sejak penawaran dibuat. Pilih penawaran lain, atau minta kelompoknya "
                         "memperbarui penawaran.", what=exc.detail), exc.errors) from None
    quote.checkout_id = checkout.id
    db.session.commit()
    from app.orders import notify
    if method == "invoice":
        notify.checkout_paid(checkout)  # on terms: the groups can start now
    else:
        notify.checkout_placed(checkout)
    _tell_accepted(quote, chosen, checkout)
    _tell_passed_over(quote, passed_over)
    return checkout


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


def _group_emails(group_id: int) -> list[str]:
    return list(db.session.scalars(select(User.email).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.group_id == group_id)))


def _tell_accepted(quote: QuoteRequest, offers: list[Offer], checkout) -> None:
    numbers = {o.group_id: o.number for o in checkout.orders}
    for offer in offers:
        mail.send(_group_emails(offer.group_id), _("Penawaran Anda untuk %(n)s diterima", n=quote.number),
                  _("%(org)s menerima penawaran %(g)s: %(q)s × %(p)s. Pesanannya %(o)s (nomor pembelian %(po)s).",
                    org=quote.organisation.name, g=offer.group.name, q=offer.quantity, p=offer.product.name,
                    o=numbers.get(offer.group_id, ""), po=quote.purchase_number))


def _tell_passed_over(quote: QuoteRequest, offers: list[Offer]) -> None:
    for offer in offers:
        mail.send(_group_emails(offer.group_id), _("Penawaran untuk %(n)s tidak dipilih", n=quote.number),
                  _("%(org)s sudah menutup permintaan %(n)s tanpa memilih penawaran %(g)s. Terima kasih sudah "
                    "menawar; permintaan berikutnya akan datang ke halaman kelompok Anda.",
                    org=quote.organisation.name, n=quote.number, g=offer.group.name))


# ------------------------------------------------------------------ partnerships

def record_partnership(actor: User, group_slug: str, org_id: int, note: str | None = None) -> Partnership:
    group = group_in_scope(actor, group_slug)  # 403 outside the officer's scope
    org = db.session.get(Organisation, org_id)
    if org is None or not org.is_verified:
        raise NotFound(_("Organisasi tidak ditemukan."))
    if db.session.scalar(select(Partnership.id).where(Partnership.group_id == group.id,
                                                      Partnership.organisation_id == org.id)):
        raise Conflict(_("Kemitraan ini sudah tercatat."))
    note = validate.text(note, {}, "note", max_len=500, required=False)
    row = Partnership(group_id=group.id, organisation_id=org.id, note=note, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    return row


def _repeat_pairs():
    """(group, organisation) pairs with at least two completed orders that count as sales."""
    from app.orders.counting import repeat_pairs

    return repeat_pairs()


def partners_of_group(group: Group) -> list[Organisation]:
    pairs = _repeat_pairs().where(Order.group_id == group.id).subquery()
    ids = set(db.session.scalars(select(pairs.c.organisation_id)))
    ids |= set(db.session.scalars(select(Partnership.organisation_id).where(Partnership.group_id == group.id)))
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name))) if ids else []


def partners_of_org(org: Organisation) -> list[Group]:
    pairs = _repeat_pairs().where(Order.organisation_id == org.id).subquery()
    ids = set(db.session.scalars(select(pairs.c.group_id)))
    ids |= set(db.session.scalars(select(Partnership.group_id).where(Partnership.organisation_id == org.id)))
    return list(db.session.scalars(select(Group).where(Group.id.in_(ids)).order_by(Group.name))) if ids else []


# ------------------------------------------------------------------ repeat an order

def repeat_order(actor: User, order_id: int) -> tuple[list[tuple[int, int]], list[str]]:
    """The lines of a past order at today's prices and stock: what goes in the cart, and what changed."""
    order = orders.order_for_buyer(actor, order_id)
    items, changes = [], []
    for line in order.lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None or not product.is_public:
            changes.append(_("%(p)s tidak dijual lagi.", p=line.name))
            continue
        qty = line.quantity
        if product.stock < qty:
            if product.stock < product.min_order_qty or product.stock == 0:
                changes.append(_("%(p)s sedang habis.", p=line.name))
                continue
            changes.append(_("%(p)s: stok tinggal %(n)s, jumlah disesuaikan.", p=line.name, n=product.stock))
            qty = product.stock
        price = product.unit_price_for(qty)
        if price != line.unit_price_idr:
            from app.core.money import format_rupiah
            changes.append(_("%(p)s: harga %(old)s menjadi %(new)s.", p=line.name, old=format_rupiah(line.unit_price_idr),
                             new=format_rupiah(price)))
        items.append((product.id, qty))
    return items, changes
