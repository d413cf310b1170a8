"""Every code a person reads, as words in the page's language: the one place that maps them.
Templates call `label(kind, code)`; an unknown code shows as itself (and a test walks the pages for
raw codes)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PRODUCT_STATUS = {"draft": _l("Draf"), "active": _l("Dijual"), "archived": _l("Diarsipkan")}
GROUP_STATUS = {"pending": _l("Menunggu verifikasi"), "verified": _l("Terverifikasi"), "rejected": _l("Ditolak"),
                "suspended": _l("Dibekukan")}
ORGANISATION_STATUS = {"pending": _l("Menunggu verifikasi"), "verified": _l("Terverifikasi"), "rejected": _l("Ditolak")}
MEMBER_ROLE = {"chair": _l("ketua"), "member": _l("anggota")}
QUOTE_STATUS = {"open": _l("Terbuka"), "accepted": _l("Terpenuhi"), "closed": _l("Ditutup")}
OFFER_STATUS = {"open": _l("Menunggu jawaban"), "accepted": _l("Diterima"), "declined": _l("Tidak dipilih")}
INVOICE_STATUS = {"unpaid": _l("Belum dibayar"), "paid": _l("Lunas"), "void": _l("Dibatalkan")}
PAYMENT_METHOD = {"bank_transfer": _l("Transfer bank"), "stripe": _l("Kartu"), "invoice": _l("Invoice bertempo"),
                  "at_stand": _l("Bayar di stan"), "qris": _l("QRIS"), "va_bca": _l("Virtual account BCA"),
                  "va_bni": _l("Virtual account BNI"), "va_bri": _l("Virtual account BRI"),
                  "va_mandiri": _l("Mandiri Bill Payment"), "va_permata": _l("Virtual account Permata"),
                  "gopay": _l("GoPay"), "shopeepay": _l("ShopeePay")}
EVENT_KIND = {"bazar": _l("Bazar"), "pameran": _l("Pameran"), "festival": _l("Festival")}
EVENT_OPEN_TO = {"semua": _l("Semua kelompok terverifikasi"), "provinsi": _l("Kelompok dari provinsi ini"),
                 "kabupaten": _l("Kelompok dari kabupaten/kota ini")}
TAKING_PART = {"applied": _l("Menunggu keputusan"), "accepted": _l("Diterima"), "declined": _l("Ditolak"),
               "withdrawn": _l("Mundur")}
DECISION = {"verified": _l("diverifikasi"), "rejected": _l("ditolak"), "hidden": _l("disembunyikan"),
            "shown": _l("ditampilkan lagi"), "suspended": _l("dibekukan"), "restored": _l("dipulihkan"),
            "resubmitted": _l("diajukan ulang"), "withdrawn": _l("dicabut kelompok")}


def _tables() -> dict[str, dict]:
    from app.catalog.permits import STATUS_LABELS as PERMIT_STATUS
    from app.catalog.permits import TYPE_LABELS as PERMIT_TYPE
    from app.groups.forms import BUSINESS_TYPE_LABELS
    from app.orders.labels import STATUS_LABELS as ORDER_STATUS
    from app.wholesale.forms import ORG_TYPE_LABELS

    return {"product": PRODUCT_STATUS, "group": GROUP_STATUS, "organisation": ORGANISATION_STATUS,
            "role": MEMBER_ROLE, "quote": QUOTE_STATUS, "offer": OFFER_STATUS, "invoice": INVOICE_STATUS,
            "payment_method": PAYMENT_METHOD, "decision": DECISION, "order": ORDER_STATUS,
            "permit": PERMIT_STATUS, "permit_type": PERMIT_TYPE, "business_type": BUSINESS_TYPE_LABELS,
            "org_type": ORG_TYPE_LABELS, "event_kind": EVENT_KIND, "event_open_to": EVENT_OPEN_TO,
            "taking_part": TAKING_PART}


def label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(_tables()[kind].get(code, code))
