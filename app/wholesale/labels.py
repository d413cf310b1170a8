"""Business buying's codes as words (registered in core.labels by the wholesale area)."""

from flask_babel import lazy_gettext as _l

ORGANISATION_STATUS = {"pending": _l("Menunggu verifikasi"), "verified": _l("Terverifikasi"), "rejected": _l("Ditolak")}
QUOTE_STATUS = {"open": _l("Terbuka"), "accepted": _l("Terpenuhi"), "closed": _l("Ditutup")}
OFFER_STATUS = {"open": _l("Menunggu jawaban"), "accepted": _l("Diterima"), "declined": _l("Tidak dipilih")}
INVOICE_STATUS = {"unpaid": _l("Belum dibayar"), "paid": _l("Lunas"), "void": _l("Dibatalkan")}
CONSIGNMENT_STATUS = {"proposed": _l("Menunggu diterima toko"), "active": _l("Berjalan"), "ended": _l("Berakhir")}
