"""The catalog's codes as words (registered in core.labels by the catalog's area)."""

from flask_babel import lazy_gettext as _l

PRODUCT_STATUS = {"draft": _l("Draf"), "active": _l("Dijual"), "archived": _l("Diarsipkan")}
