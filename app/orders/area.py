"""Orders: cart, checkout, shipping, the orders' statuses, reviews, and what counts as a sale."""

from flask import Flask

from app.catalog import search
from app.core import cache, labels

from . import (  # noqa: F401
    biteship_gateway,
    complaint_models,
    complaint_queues,
    counting,
    models,
    receipt,
    return_lapse,
    return_models,
    return_tracking,
    return_views,
    returns,
    shipment_views,
    shipments,
)
from . import complaints as complaint_rules
from .cart import count as cart_count
from .cli import orders_cli
from .complaint_labels import ACTION_LABELS, REASON_LABELS, REFUND_STATE_LABELS, RESOLUTION_LABELS, ROLE_LABELS
from .complaint_labels import STATUS_LABELS as COMPLAINT_STATUS_LABELS
from .complaint_views import bp as complaints_bp
from .couriers import COURIER_NAMES
from .labels import MOVE_LABELS, STATUS_LABELS, TRACKING_LABELS
from .models import ORDER_STATUSES, SOLD_STATUSES
from .notify import payment_line
from .status import next_statuses
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(complaints_bp)
    app.cli.add_command(orders_cli)
    labels.register(
        order=STATUS_LABELS,
        tracking=TRACKING_LABELS,
        complaint_reason=REASON_LABELS,
        complaint_resolution=RESOLUTION_LABELS,
        complaint_status=COMPLAINT_STATUS_LABELS,
        complaint_action=ACTION_LABELS,
        complaint_role=ROLE_LABELS,
        refund_state=REFUND_STATE_LABELS,
    )
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
        may_complain=complaint_rules.may_complain,  # the buyer's "Ajukan komplain", from the service's rule
        complaint_of=complaint_rules.latest_of,
        complaint_reasons=complaint_models.REASONS,
        complaint_refundable=lambda c: complaint_rules.refundable(c.order, but=c.id),
        return_of=returns.of_complaint,  # a complaint's return, if its answer asked for the goods back
    )
