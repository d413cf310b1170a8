"""Business buying: verified organisations, tier prices, quotes and offers, invoices on terms."""

from flask import Flask

from app.core import labels

from . import checkout, consignment_models, consignment_views, documents, invoices, models, organisations  # noqa: F401
from .forms import ORG_TYPE_LABELS
from .labels import CONSIGNMENT_STATUS, INVOICE_STATUS, OFFER_STATUS, ORGANISATION_STATUS, QUOTE_STATUS
from .views import bp


def _has_business(user) -> bool:
    """Staff of a business buyer get a header link to their business page."""
    return organisations.org_of(user) is not None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    labels.register(
        organisation=ORGANISATION_STATUS,
        quote=QUOTE_STATUS,
        offer=OFFER_STATUS,
        invoice=INVOICE_STATUS,
        org_type=ORG_TYPE_LABELS,
        consignment=CONSIGNMENT_STATUS,
    )
    invoices.register_method()
    checkout.plug_into_checkout()
    app.jinja_env.globals.update(has_business=_has_business, acceptance_record_due=documents.acceptance_record_due)
