"""Sales: the group's sales book (sales outside the platform) and the monthly statements."""

from flask import Flask

from . import models  # noqa: F401
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
