"""Officers: verification queues, decisions, dashboards per province and kabupaten."""

from flask import Flask

from . import models, stats  # noqa: F401  (stats: the stats.refresh job)
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
