"""The orders' codes as words (registered in core.labels by the orders' area)."""

from flask_babel import lazy_gettext as _l

from .models import Checkout, CheckoutStatus, Order, OrderStatus

STATUS_LABELS: dict[str, object] = {  # keyed by the StrEnums: a code read from a row finds its words too
    OrderStatus.PENDING_PAYMENT: _l("Menunggu pembayaran"),
    OrderStatus.PAID: _l("Dibayar"),
    OrderStatus.INVOICED: _l("Ditagih dengan invoice"),
    OrderStatus.PROCESSING: _l("Disiapkan"),
    OrderStatus.SHIPPED: _l("Dikirim"),
    OrderStatus.DELIVERED: _l("Sampai"),
    OrderStatus.COMPLETED: _l("Selesai"),
    OrderStatus.CANCELLED: _l("Dibatalkan"),
    OrderStatus.REFUNDED: _l("Dana dikembalikan"),
    CheckoutStatus.EXPIRED: _l("Kedaluwarsa"),
}
MOVE_LABELS = {
    OrderStatus.PROCESSING: _l("Siapkan pesanan"),
    OrderStatus.SHIPPED: _l("Tandai dikirim"),
    OrderStatus.DELIVERED: _l("Tandai sampai"),
    OrderStatus.CANCELLED: _l("Batalkan"),
}


def checkout_progress(checkout: Checkout, *, proof_waiting: bool = False) -> list[tuple[str, str, Order | None]]:
    """What the checkout page's header says: (status code for the badge, words, the order it is about).

    Before payment: waiting for the payment, or for the group to check the transfer proof sent. After:
    the orders' own status, once when they all agree, else each order's with its number (the payment
    being done says nothing about where the goods are)."""
    if checkout.status == CheckoutStatus.PENDING_PAYMENT:
        if proof_waiting:
            return [("proof_waiting", str(_l("Bukti transfer menunggu diperiksa")), None)]
        return [(checkout.status, str(STATUS_LABELS[OrderStatus.PENDING_PAYMENT]), None)]
    if checkout.status in (CheckoutStatus.EXPIRED, CheckoutStatus.CANCELLED) or not checkout.orders:
        return [(checkout.status, str(STATUS_LABELS.get(checkout.status, checkout.status)), None)]
    statuses = {o.status for o in checkout.orders}
    if len(statuses) == 1:
        (only,) = statuses
        return [(only, str(STATUS_LABELS.get(only, only)), None)]
    return [(o.status, str(STATUS_LABELS.get(o.status, o.status)), o) for o in checkout.orders]


# a courier's statuses, as Biteship names them (app/orders/shipments.py ranks them)
TRACKING_LABELS: dict[str, object] = {
    "confirmed": _l("Pesanan kurir dibuat"),
    "scheduled": _l("Penjemputan dijadwalkan"),
    "allocated": _l("Kurir sudah ditugaskan"),
    "picking_up": _l("Kurir menuju tempat penjemputan"),
    "picked": _l("Paket sudah diambil kurir"),
    "on_hold": _l("Paket tertahan"),
    "dropping_off": _l("Paket sedang diantar"),
    "delivered": _l("Paket sampai di tujuan"),
    "return_in_transit": _l("Paket dikembalikan ke pengirim"),
    "returned": _l("Paket kembali ke pengirim"),
    "rejected": _l("Paket ditolak"),
    "disposed": _l("Paket dimusnahkan"),
    "courier_not_found": _l("Kurir belum ditemukan"),
    "cancelled": _l("Pengiriman dibatalkan"),
    "waiting": _l("Menunggu dikirim pembeli"),  # a return asked for, not handed to a courier yet
    "lapsed": _l("Tidak dikirim tepat waktu"),  # a return not sent in RETURN_SEND_DAYS
}
