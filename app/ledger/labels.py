"""The ledger's codes as words (registered in core.labels by the ledger's area)."""

from flask_babel import lazy_gettext as _l

from .models import EntryState, PayoutStatus, PostingKind
from .services import RELEASED, RETURNED, STRAIGHT, WAITING

KIND_LABELS: dict[str, object] = {
    PostingKind.SALE: _l("Penjualan"),
    PostingKind.FEE: _l("Biaya"),
    PostingKind.REFUND: _l("Dana dikembalikan ke pembeli"),
    PostingKind.PAYOUT: _l("Dikirim ke rekening kelompok"),
    PostingKind.PAYOUT_RETURNED: _l("Kiriman gagal, uang kembali"),
    PostingKind.DIRECT: _l("Diterima langsung"),
    PostingKind.SHIPPING: _l("Ongkos kirim"),
    PostingKind.ADJUSTMENT: _l("Koreksi"),
}
STATE_LABELS: dict[str, object] = {
    EntryState.PENDING: _l("Menunggu pesanan diterima pembeli"),
    EntryState.AVAILABLE: _l("Bisa dicairkan"),
}
# where one order's money is, in a treasurer's words
WHERE_LABELS: dict[str, object] = {
    WAITING: _l("Menunggu pesanan diterima pembeli"),
    RELEASED: _l("Bisa dicairkan"),
    STRAIGHT: _l("Diterima langsung"),
    RETURNED: _l("Dikembalikan ke pembeli"),
}
# a payout's status, in a treasurer's words
PAYOUT_STATUS_LABELS: dict[str, object] = {
    PayoutStatus.REQUESTED: _l("Menunggu persetujuan admin"),
    PayoutStatus.APPROVED: _l("Disetujui, sedang dikirim"),
    PayoutStatus.SENT: _l("Terkirim ke rekening"),
    PayoutStatus.FAILED: _l("Gagal, uang kembali"),
}
