"""The catalog: categories, products, tiers, permits, photos, browsing and search."""

from flask import Flask

from app.core import cache, labels
from app.groups import signals

from . import expiring, models, permits, photos, search  # noqa: F401  (jobs: permit notices, photo variants)
from .cards import product_cards
from .cli import permits_cli
from .labels import PRODUCT_STATUS
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(permits_cli)
    labels.register(product=PRODUCT_STATUS, permit=permits.STATUS_LABELS, permit_type=permits.TYPE_LABELS)
    cache.watch("products", "photos", "permits", "price_tiers", "categories")
    signals.group_moved.connect(search.reindex_group, weak=False)
    signals.group_decided.connect(search.rescore_group, weak=False)
    app.jinja_env.globals.update(
        permit_label=permits.label,
        permit_status_label=lambda s: str(permits.STATUS_LABELS.get(s, s)),
        product_cards=product_cards,
    )
