"""The orders' codes as words (registered in core.labels by the orders' area)."""

from flask_babel import lazy_gettext as _l

from .models import CheckoutStatus, OrderStatus

STATUS_LABELS = {
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
