"""Orders: cart, checkout, shipping, the orders' statuses, reviews, and what counts as a sale."""

from flask import Flask

from app.catalog import search
from app.core import cache, labels

from . import biteship_gateway, counting, models, receipt, shipment_views, shipments  # noqa: F401
from .cart import count as cart_count
from .cli import orders_cli
from .couriers import COURIER_NAMES
from .labels import MOVE_LABELS, STATUS_LABELS, TRACKING_LABELS
from .models import ORDER_STATUSES, SOLD_STATUSES
from .notify import payment_line
from .status import next_statuses
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(orders_cli)
    labels.register(order=STATUS_LABELS, tracking=TRACKING_LABELS)
    cache.watch("reviews")
    search.count_sales_by(counting.units_sold_sql)  # units sold weigh in the search's score
    app.jinja_env.globals.update(
        status_label=lambda s: str(STATUS_LABELS.get(s, s)),
        move_label=lambda s: str(MOVE_LABELS.get(s, s)),
        cart_count=cart_count,
        payment_line=payment_line,
        next_statuses=next_statuses,  # the moves a page offers, from the service's one table
        order_statuses=ORDER_STATUSES,
        sold_statuses=SOLD_STATUSES,
        courier_names=COURIER_NAMES,
        couriers_bookable=biteship_gateway.configured,  # "Minta dijemput" where Biteship is configured
    )
