"""Fast tests of the pure rules: no app from create_app, no database, no Redis.

Models are built as plain (transient) objects and never reach a session. Formatting that needs
Flask-Babel's locale (dates, month names, labels) runs in `babel_app`, a bare Flask app with only
Flask-Babel and the project's translations.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

import app.factory  # noqa: F401  (every area's models, so transient objects can be built)
from app.catalog import permits
from app.core import labels
from app.orders.labels import STATUS_LABELS
from app.payments.labels import PAYMENT_METHOD
from app.wholesale.labels import INVOICE_STATUS
from config import BASE_DIR

# the word tables the areas register when the app starts (each area's init_app)
labels.register(
    order=STATUS_LABELS, payment_method=PAYMENT_METHOD, invoice=INVOICE_STATUS, permit=permits.STATUS_LABELS
)


@pytest.fixture(scope="session")
def babel_app():
    tiny = Flask("unit-rules")
    tiny.config["BABEL_DEFAULT_LOCALE"] = "id"
    Babel(tiny, default_translation_directories=str(BASE_DIR / "app" / "translations"))
    return tiny


@pytest.fixture
def in_babel(babel_app):
    """An app context of the bare Babel app (Indonesian, the site's default); force_locale('en') for English."""
    with babel_app.app_context():
        yield
