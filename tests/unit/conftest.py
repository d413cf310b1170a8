"""Fast tests of the pure rules: no app from create_app, no database, no Redis.

Models are built as plain (transient) objects and never reach a session. Formatting that needs
Flask-Babel's locale (dates, month names, labels) runs in `babel_app`, a bare Flask app with only
Flask-Babel and the project's translations.
"""
from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

import app.models  # noqa: F401  (every model class, so transient objects can be built)
from config import BASE_DIR


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
