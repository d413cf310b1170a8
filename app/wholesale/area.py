"""Business buying: verified organisations, tier prices, quotes and offers, invoices on terms."""

from flask import Flask
from sqlalchemy.orm import joinedload

from app.accounts import sessions
from app.accounts.models import User
from app.core import labels

from . import (  # noqa: F401
    checkout,
    consignment_models,
    consignment_views,
    documents,
    invoices,
    models,
    organisations,
    proposals,
    standing,
    standing_models,
)
from .forms import ORG_TYPE_LABELS
from .labels import CONSIGNMENT_STATUS, INVOICE_STATUS, OFFER_STATUS, ORGANISATION_STATUS, QUOTE_STATUS
from .standing_labels import FREQUENCY, PROPOSAL_STATUS, STANDING_STATUS, WEEKDAY
from .standing_views import bp as standing_bp
from .views import bp


def _has_business(user) -> bool:
    """Staff of a business buyer get a header link to their business page (read with her session, without
    loading the organisation)."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "business_staff", None) is not None


def init_app(app: Flask) -> None:
    staff = getattr(User, "business_staff")  # noqa: B009 (models.py adds it to User)
    sessions.load_with_user("business_staff", joinedload(staff).lazyload("*"))
    app.register_blueprint(bp)
    app.register_blueprint(standing_bp)
    labels.register(
        organisation=ORGANISATION_STATUS,
        quote=QUOTE_STATUS,
        offer=OFFER_STATUS,
        invoice=INVOICE_STATUS,
        org_type=ORG_TYPE_LABELS,
        standing_order=STANDING_STATUS,
        proposal=PROPOSAL_STATUS,
        frequency=FREQUENCY,
        weekday=WEEKDAY,
        consignment=CONSIGNMENT_STATUS,
    )
    invoices.register_method()
    checkout.plug_into_checkout()
    app.jinja_env.globals.update(standing_next=standing.upcoming)
    app.jinja_env.globals.update(has_business=_has_business, acceptance_record_due=documents.acceptance_record_due)
