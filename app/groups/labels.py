"""The groups' codes as words (registered in core.labels by the groups' area)."""

from flask_babel import lazy_gettext as _l

GROUP_STATUS = {
    "pending": _l("Menunggu verifikasi"),
    "verified": _l("Terverifikasi"),
    "rejected": _l("Ditolak"),
    "suspended": _l("Dibekukan"),
}
MEMBER_ROLE = {
    "chair": _l("ketua"),
    "treasurer": _l("bendahara"),
    "secretary": _l("sekretaris"),
    "member": _l("anggota"),
}
