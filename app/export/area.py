"""Export: listings for buyers abroad, quotes in US dollars."""

from flask import Flask

from app.core import cache

from . import models  # noqa: F401
from .services import country_name, usd
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cache.watch("export_listings")
    app.jinja_env.globals.update(usd=usd, country_name=country_name)  # rupiah -> US dollars at a given rate
