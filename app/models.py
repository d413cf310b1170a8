"""Every model, imported once so the metadata (and Alembic) sees them all."""
from app.accounts.models import ApiToken, EmailToken, Invitation, User, UserSession  # noqa: F401
from app.catalog.models import Category, Permit, Photo, PriceTier, Product, SearchTerm  # noqa: F401
from app.core.jobs import OutboxJob  # noqa: F401
from app.events.models import Event, EventGroup  # noqa: F401
from app.export.models import ExportListing, UsdRate  # noqa: F401
from app.groups.models import Group, Membership  # noqa: F401
from app.officers.models import Decision  # noqa: F401
from app.orders.models import (  # noqa: F401
                               Checkout,
                               IdempotencyRecord,
                               Order,
                               OrderEvent,
                               OrderLine,
                               Review,
                               ShippingRate,
)
from app.payments.models import MidtransNotification, Payment, StripeEvent  # noqa: F401
from app.sales.models import OfflineSale, OfflineSaleLine, SalesStatement  # noqa: F401
from app.wholesale.models import (  # noqa: F401
                               DeliveryAddress,
                               Invoice,
                               InvoiceCounter,
                               Offer,
                               Organisation,
                               OrganisationStaff,
                               Partnership,
                               QuoteRecipient,
                               QuoteRequest,
)
