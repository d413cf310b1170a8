"""Standing orders' codes as words (registered in core.labels by the wholesale area)."""

from flask_babel import lazy_gettext as _l

STANDING_STATUS = {"active": _l("Berjalan"), "paused": _l("Dijeda"), "ended": _l("Dihentikan")}
PROPOSAL_STATUS = {
    "proposed": _l("Menunggu konfirmasi"),
    "confirmed": _l("Dikonfirmasi"),
    "cancelled": _l("Dibatalkan"),
}
FREQUENCY = {"weekly": _l("Setiap minggu"), "fortnightly": _l("Setiap dua minggu"), "monthly": _l("Setiap bulan")}
WEEKDAY = {
    1: _l("Senin"),
    2: _l("Selasa"),
    3: _l("Rabu"),
    4: _l("Kamis"),
    5: _l("Jumat"),
    6: _l("Sabtu"),
    7: _l("Minggu"),
}
