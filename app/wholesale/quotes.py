"""Quote requests of business buyers (pooled supply): who is asked, who sees what, and the e-mails the
groups get when asked. The groups' offers, their acceptance and closing a request: offers.py."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app.accounts.models import User
from app.catalog.models import Category, Product
from app.core import regions, validate
from app.core.errors import Forbidden, NotFound, ValidationFailed, collect
from app.core.timefmt import long_date, today_wib
from app.export import services as export
from app.extensions import db
from app.groups.contact import tell_group
from app.groups.models import Group, Membership
from app.orders import quoting

from . import invoices
from .models import Offer, Organisation, QuoteRecipient, QuoteRequest
from .organisations import org_of, verified_org_of


def create_quote(actor: User, data: dict) -> QuoteRequest:
    org = verified_org_of(actor)
    if org is None:
        raise Forbidden(_("Permintaan penawaran untuk pembeli bisnis yang terverifikasi."))
    errors: dict[str, list[str]] = {}
    product, category = _product_or_category(data, errors)
    description = validate.text(data.get("description"), errors, "description", max_len=2000, min_len=3)
    quantity = validate.integer(data.get("quantity"), errors, "quantity", low=1, high=1_000_000)
    needed_by = validate.date_value(
        data.get("needed_by"),
        errors,
        "needed_by",
        required=True,
        not_before=invoices.today(),
        too_early=_("Tanggal dibutuhkan harus hari ini atau nanti."),
    )
    terms, data = _export_terms(data, product, quantity, errors)
    reg = regions.regency(data.get("delivery_regency"))
    if reg is None:
        collect(errors, "delivery_regency", _("Pilih kabupaten/kota dari daftar."))
    if errors or reg is None:  # no kabupaten/kota has been collected as an error above
        raise ValidationFailed(_("Periksa isian yang ditandai."), errors)
    if category is not None:
        category_id = category.id
    else:
        assert product is not None  # neither a product nor a category: an error was collected above
        category_id = product.category_id
    quote = QuoteRequest(
        organisation_id=org.id,
        created_by_id=actor.id,
        product_id=product.id if product else None,
        category_id=category_id,
        description=description,
        quantity=quantity,
        needed_by=needed_by,
        delivery_regency_code=reg.code,
        delivery_province_code=reg.province_code,
        **terms,
    )
    db.session.add(quote)
    db.session.flush()
    groups = _suppliers(quote, product)
    quote.recipients = [QuoteRecipient(group_id=g.id) for g in groups]
    db.session.commit()
    with force_locale("id"):  # the groups read Indonesian, whatever language the buyer uses
        _tell_suppliers(groups, quote, org, reg)
    return quote


def _product_or_category(data: dict, errors: dict[str, list[str]]) -> tuple[Product | None, Category | None]:
    """What is asked for: a public product that can be sold, or a known category (errors collected)."""
    product: Product | None = None
    category: Category | None = None
    if data.get("product_id"):
        product = db.session.get(Product, data["product_id"])
        if product is None or not product.is_public:
            collect(errors, "product_id", _("Produk tidak tersedia."))
        elif product.lapsed_permit is not None:
            collect(errors, "product_id", quoting.lapsed_message(product))
    elif data.get("category"):
        category = db.session.scalar(select(Category).where(Category.slug == data["category"]))
        if category is None:
            collect(errors, "category", _("Kategori tidak dikenal."))
    else:
        collect(errors, "product_id", _("Pilih produk atau kategori."))
    return product, category


def _export_terms(
    data: dict, product: Product | None, quantity: int | None, errors: dict[str, list[str]]
) -> tuple[dict, dict]:
    """An export quote (in US dollars, FOB/CIF, for an export-ready product): its terms, and the data with
    the group's own kabupaten/kota as the place of delivery when none is given. Otherwise no terms."""
    terms: dict = {}
    if data.get("export"):
        listing = export.export_listing_of(product) if product is not None else None
        if product is not None and listing is None:
            collect(errors, "product_id", _("Produk ini belum siap ekspor."))
        elif product is not None and listing is not None:
            terms = export.clean_export_terms(product, listing, dict(data, quantity=quantity), errors)
            # goods leave from the group's own kabupaten/kota (FOB: loaded at its nearest port)
            data = dict(data, delivery_regency=data.get("delivery_regency") or product.group.regency_code)
    return terms, data


def _tell_suppliers(groups, quote: QuoteRequest, org, reg) -> None:
    when = long_date(quote.needed_by)
    export_line = (
        " " + _("Untuk ekspor: %(term)s ke %(country)s.", term=quote.incoterm, country=quote.destination_country)
        if quote.currency == "USD"
        else ""
    )
    body = (
        _(
            "%(org)s meminta %(q)s: %(d)s. Dibutuhkan %(when)s di %(place)s.",
            org=org.name,
            q=quote.quantity,
            d=quote.description,
            when=when,
            place=reg.name,
        )
        + export_line
    )
    for g in groups:
        tell_group(
            g.id,
            "permintaan_penawaran",
            [quote.number, org.name, f"{quote.quantity} {quote.description}", f"{when} ({reg.name})"],
            key=f"permintaan_penawaran:{quote.id}:{g.id}",
            subject=_("Permintaan penawaran %(n)s", n=quote.number),
            body=body,
        )


def _suppliers(quote: QuoteRequest, product: Product | None) -> list[Group]:
    """The product's group; or the verified groups that sell the category in the delivery province,
    then in the same island group, then anywhere."""
    if product is not None:
        return [product.group]
    sells = exists().where(
        Product.group_id == Group.id, Product.category_id == quote.category_id, Product.status == "active"
    )
    base = select(Group).where(Group.status == "verified", sells).order_by(Group.id)
    for condition in (
        Group.province_code == quote.delivery_province_code,
        Group.province_code.like(quote.delivery_province_code[:1] + "%"),
        None,
    ):
        rows = list(db.session.scalars(base.where(condition) if condition is not None else base.limit(50)))
        if rows:
            return rows
    return []


def member_groups(actor: User) -> set[int]:
    return set(db.session.scalars(select(Membership.group_id).where(Membership.user_id == actor.id)))


def quote_for(actor: User, quote_id: int) -> tuple[QuoteRequest, str]:
    """The quote and how the actor sees it: 'buyer' (its organisation's staff), 'group' (a group asked), 'admin'."""
    quote = db.session.get(QuoteRequest, quote_id)
    if quote is None:
        raise NotFound(_("Permintaan tidak ditemukan."))
    org = org_of(actor)
    if org is not None and org.id == quote.organisation_id:
        return quote, "buyer"
    if member_groups(actor) & {r.group_id for r in quote.recipients}:
        return quote, "group"
    if actor.is_admin:
        return quote, "admin"
    raise NotFound(_("Permintaan tidak ditemukan."))


def quotes_of_org(org: Organisation) -> list[QuoteRequest]:
    return list(
        db.session.scalars(
            select(QuoteRequest).where(QuoteRequest.organisation_id == org.id).order_by(QuoteRequest.id.desc())
        )
    )


def quotes_for_group(group: Group) -> list[QuoteRequest]:
    return list(
        db.session.scalars(
            select(QuoteRequest)
            .join(QuoteRecipient)
            .where(QuoteRecipient.group_id == group.id)
            .order_by(QuoteRequest.id.desc())
        )
    )


def quotes_to_answer(group_id: int) -> tuple[int, int | None]:
    """How many open requests the group was asked and has made no offer on (still needed: not past their
    date), and the first one's id."""
    offered = exists().where(Offer.quote_id == QuoteRequest.id, Offer.group_id == group_id)
    count, first = db.session.execute(
        select(func.count(QuoteRequest.id), func.min(QuoteRequest.id))
        .join(QuoteRecipient, QuoteRecipient.quote_id == QuoteRequest.id)
        .where(
            QuoteRecipient.group_id == group_id,
            QuoteRequest.status == "open",
            QuoteRequest.needed_by >= today_wib(),
            ~offered,
        )
    ).one()
    return count, first
