"""The JSON API at /api/v1, over the same services as the pages."""

from flask import Flask

from app.extensions import csrf

from . import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)  # the API takes bearer tokens, never the session cookie
