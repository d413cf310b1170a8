"""Events' codes as words (registered in core.labels by the events area)."""

from flask_babel import lazy_gettext as _l

EVENT_KIND = {"bazar": _l("Bazar"), "pameran": _l("Pameran"), "festival": _l("Festival")}
EVENT_OPEN_TO = {
    "semua": _l("Semua kelompok terverifikasi"),
    "provinsi": _l("Kelompok dari provinsi ini"),
    "kabupaten": _l("Kelompok dari kabupaten/kota ini"),
}
TAKING_PART = {
    "applied": _l("Menunggu keputusan"),
    "accepted": _l("Diterima"),
    "declined": _l("Ditolak"),
    "withdrawn": _l("Mundur"),
}
