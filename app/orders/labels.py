from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "pending_payment": _l("Menunggu pembayaran"),
    "paid": _l("Dibayar"),
    "invoiced": _l("Ditagih dengan invoice"),
    "processing": _l("Disiapkan"),
    "shipped": _l("Dikirim"),
    "delivered": _l("Sampai"),
    "completed": _l("Selesai"),
    "cancelled": _l("Dibatalkan"),
    "refunded": _l("Dana dikembalikan"),
    "expired": _l("Kedaluwarsa"),
}
MOVE_LABELS = {
    "processing": _l("Siapkan pesanan"),
    "shipped": _l("Tandai dikirim"),
    "delivered": _l("Tandai sampai"),
    "cancelled": _l("Batalkan"),
}
