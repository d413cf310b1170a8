"""Officers' decisions as words (registered in core.labels by the accounts area)."""

from flask_babel import lazy_gettext as _l

DECISION = {
    "verified": _l("diverifikasi"),
    "rejected": _l("ditolak"),
    "hidden": _l("disembunyikan"),
    "shown": _l("ditampilkan lagi"),
    "suspended": _l("dibekukan"),
    "restored": _l("dipulihkan"),
    "resubmitted": _l("diajukan ulang"),
    "withdrawn": _l("dicabut kelompok"),
    "accepted": _l("diterima"),
}
