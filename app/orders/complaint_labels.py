"""Complaints in words (Indonesian in the source, English in the catalogue)."""

from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "damaged": _l("Barang rusak"),
    "wrong_item": _l("Barang salah kirim"),
    "missing": _l("Barang kurang"),
    "expired": _l("Sudah kedaluwarsa"),
    "not_as_described": _l("Tidak sesuai deskripsi"),
    "not_received": _l("Belum diterima"),
}
RESOLUTION_LABELS = {
    "refund": _l("Dana dikembalikan penuh"),
    "partial_refund": _l("Dana dikembalikan sebagian"),
    "replace": _l("Barang diganti"),
    "reject": _l("Komplain ditolak"),
}
STATUS_LABELS = {
    "open": _l("Menunggu jawaban kelompok"),
    "answered": _l("Dijawab kelompok"),
    "escalated": _l("Diteruskan ke admin"),
    "resolved": _l("Selesai"),
}
ACTION_LABELS = {
    "opened": _l("Komplain diajukan"),
    "answered": _l("Kelompok menjawab"),
    "accepted": _l("Jawaban diterima"),
    "escalated": _l("Diteruskan ke admin"),
    "decided": _l("Keputusan admin"),
    "refunded": _l("Dana dikembalikan"),
    "refund_failed": _l("Pengembalian dana gagal, dicoba lagi oleh admin"),
    "return_sent": _l("Barang dikirim kembali"),
    "returned": _l("Barang kembali diterima kelompok"),
    "lapsed": _l("Barang tidak dikirim kembali tepat waktu: pengembalian ditutup"),
}
ROLE_LABELS = {"buyer": _l("Pembeli"), "group": _l("Kelompok"), "admin": _l("Admin"), "system": _l("Sistem")}
REFUND_STATE_LABELS = {
    "sending": _l("Sedang dikirim"),
    "sent": _l("Sudah dikembalikan ke cara bayar semula"),
    "failed": _l("Gagal, admin mencoba lagi"),
    "by_hand": _l("Admin akan mentransfer ke rekening Anda"),
    "paid": _l("Sudah ditransfer ke rekening Anda"),
}
