from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from app.core.inputs import offset_value
from app.orders.money import paid_orders_of_group

from . import services

bp = Blueprint("ledger", __name__)


@bp.get("/groups/<slug>/money")
@login_required
def money(slug: str):
    group = services.group_for_money(current_user, slug)
    offset = offset_value(request.args.get("offset"))
    limit = current_app.config["PAGE_SIZE"]
    orders, more = paid_orders_of_group(group.id, offset, limit)
    return render_template(
        "ledger/money.html",
        group=group,
        balance=services.balance_of(group),
        orders=orders,
        where=services.where_money_is([o.id for o in orders]),
        offset=offset,
        limit=limit,
        more=more,
    )
