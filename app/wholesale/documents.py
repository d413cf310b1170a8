"""What a business buyer's documents say, written once for the page and the PDFs: the invoice (seller and
buyer with their numbers, items, the amount in words, bank account, due date, signature, stamp duty and
withholding notes), the delivery note (surat jalan) and, for government and state-owned buyers, the
acceptance record (berita acara serah terima). The rules and their sources: docs/documents.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g
from flask_babel import gettext as _
from num2words import num2words
from sqlalchemy import select

from app.core import regions
from app.core.errors import NotFound
from app.core.money import format_rupiah
from app.extensions import db
from app.groups.documents import format_npwp
from app.groups.services import members
from app.orders import services as orders

from .models import WITHHOLDING_TYPES, Invoice, Organisation

# UU No. 10/2020 on stamp duty, art. 3(2)(g): a document that states the receipt of more than Rp5,000,000
# bears a Rp10,000 duty (an e-meterai on an electronic document)
STAMP_DUTY_ABOVE_IDR = 5_000_000
STAMP_DUTY_IDR = 10_000
# PMK 34/PMK.010/2017 (as amended): a government treasurer withholds PPh 22 of 1.5 % on goods bought above
# Rp2,000,000, a state-owned firm above Rp10,000,000 (art. 3); a seller holding the PP 55/2022 certificate pays
# its final 0.5 % instead, which the buyer withholds
WITHHOLDING_ABOVE_IDR = {"government": 2_000_000, "soe": 10_000_000}  # at most this: nothing is withheld
PPH22_PERMILLE = 15
FINAL_TAX_PERMILLE = 5


def terbilang(amount: int) -> str:
    """The amount in words, as Indonesian documents write it: "Tiga juta sembilan ratus ribu rupiah"."""
    return (num2words(amount, lang="id") + " rupiah").capitalize()


@dataclass
class Party:
    name: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Item:
    name: str
    quantity: int
    unit: str
    unit_price_idr: int
    total_idr: int


@dataclass
class InvoiceDocument:
    number: str
    issued_on: object
    due_on: object
    order_number: str
    po_number: str | None
    purchase_number: str | None
    seller: Party
    buyer: Party
    items: list[Item]
    goods_idr: int
    shipping_idr: int
    total_idr: int
    in_words: str
    bank: str | None
    status: str
    signer: str
    notes: list[str] = field(default_factory=list)


def _chair_of(group) -> tuple[str, str | None]:
    chair = next((m.user for m in members(group) if m.role == "chair"), None)
    return (chair.name or chair.email, chair.email) if chair else (group.name, None)


def seller_of(group) -> Party:
    """The group with its address, phone, e-mail and the numbers it has given."""
    _name, email = _chair_of(group)
    place = (group.address, group.village, group.district, group.regency_name, group.province_name)
    lines = [", ".join(x for x in place if x)]
    contact = " · ".join(x for x in (f"Telp/WA {group.whatsapp}" if group.whatsapp else "", email or "") if x)
    if contact:
        lines.append(contact)
    if group.npwp:
        lines.append(f"NPWP {format_npwp(group.npwp)}{' (PKP)' if group.pkp else ''}")
    if group.nib:
        lines.append(f"NIB {group.nib}")
    return Party(group.name, lines)


def buyer_of(org, checkout) -> Party:
    place = (checkout.ship_street, checkout.ship_district, regions.regency_name(checkout.ship_regency_code))
    lines = [", ".join(x for x in place if x), f"NPWP {format_npwp(org.npwp)}" if org.npwp else "NPWP -"]
    return Party(org.name, lines)


def items_of(order) -> list[Item]:
    return [Item(x.name, x.quantity, x.unit, x.unit_price_idr, x.line_total_idr) for x in order.lines]


def notes_for(invoice) -> list[str]:
    """Stamp duty and withholding: information printed on the invoice; the platform collects neither."""
    order, group, org = invoice.order, invoice.order.group, invoice.organisation
    notes = []
    if order.total_idr > STAMP_DUTY_ABOVE_IDR:
        notes.append(
            f"Bea meterai: bila invoice ini dipakai sebagai tanda terima pembayaran, dokumen bernilai di atas "
            f"{format_rupiah(STAMP_DUTY_ABOVE_IDR)} dikenai bea meterai {format_rupiah(STAMP_DUTY_IDR)} "
            "(e-meterai; UU No. 10 Tahun 2020 Pasal 3 ayat (2) huruf g)."
        )
    if org.type in WITHHOLDING_TYPES and order.goods_idr > WITHHOLDING_ABOVE_IDR[org.type]:
        if group.final_tax_certificate:
            tax = order.goods_idr * FINAL_TAX_PERMILLE // 1000
            notes.append(
                f"PPh final 0,5% (PP 55 Tahun 2022) dipotong pembeli: {format_rupiah(tax)}. Penjual memiliki Surat "
                "Keterangan PP 55/2022; salinannya dilampirkan."
            )
        else:
            tax = order.goods_idr * PPH22_PERMILLE // 1000
            notes.append(
                f"PPh Pasal 22 1,5% dipungut pembeli: {format_rupiah(tax)} dari harga barang "
                f"{format_rupiah(order.goods_idr)} (PMK 34/PMK.010/2017). Informasi: jumlah yang ditagih tidak berubah."
            )
    if not group.pkp:
        notes.append("Penjual bukan Pengusaha Kena Pajak: tidak ada PPN dalam invoice ini.")
    return notes


def invoice_document(invoice) -> InvoiceDocument:
    order, org, group = invoice.order, invoice.organisation, invoice.order.group
    bank = None
    if group.payout_account_number:
        bank = f"{group.payout_bank} {group.payout_account_number} a.n. {group.payout_account_name}"
    signer, _email = _chair_of(group)
    return InvoiceDocument(
        number=invoice.number,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        order_number=order.number,
        po_number=order.checkout.po_number,
        purchase_number=order.checkout.purchase_number,
        seller=seller_of(group),
        buyer=buyer_of(org, order.checkout),
        items=items_of(order),
        goods_idr=order.goods_idr,
        shipping_idr=order.shipping_idr,
        total_idr=order.total_idr,
        in_words=terbilang(order.total_idr),
        bank=bank,
        status=invoice.status,
        signer=signer,
        notes=notes_for(invoice),
    )


def needs_acceptance_record(org) -> bool:
    """Government offices and state-owned firms file a berita acara serah terima with each delivery."""
    return org is not None and org.type in WITHHOLDING_TYPES


def acceptance_record_due(order) -> bool:
    """Whether an order's buyer files an acceptance record (the order pages link to it): the buyers' types are
    read once a request, however many orders the page lists."""
    if not order.organisation_id:
        return False
    if "org_types" not in g:
        g.org_types = {}
    if order.organisation_id not in g.org_types:
        org = db.session.get(Organisation, order.organisation_id)
        g.org_types[order.organisation_id] = org.type if org else None
    return g.org_types[order.organisation_id] in WITHHOLDING_TYPES


def order_papers(actor, order_id: int):
    """An order with its business buyer, for its delivery note or acceptance record: the buyer's staff or a
    member of the selling group (404 for anyone else, and for an order of a consumer, which has neither)."""
    try:
        order = orders.order_for_group_member(actor, order_id)
    except NotFound:
        order = orders.order_for_buyer(actor, order_id)
    org = db.session.get(Organisation, order.organisation_id) if order.organisation_id else None
    if org is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order, org


def invoice_of(order_id: int) -> Invoice | None:
    return db.session.scalar(select(Invoice).where(Invoice.order_id == order_id))
