"""/api/v1: thin JSON views over the same services as the pages."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401  (routes register on import)
    accounts,
    buying,
    catalog,
    complaints,
    events,
    ledger,
    officers,
    openapi,
    sales,
    selling,
    shipping,
    standing,
    wholesale,
)
