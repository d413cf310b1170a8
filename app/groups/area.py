"""Groups: the UPPKS groups, their members and the officers' decisions about them."""

from flask import Flask
from flask_login import current_user

from app.core import cache, labels

from . import (
    contact,
    join_views,  # noqa: F401  (its pages join the blueprint)
    models,  # noqa: F401
    roles,
)
from .forms import BUSINESS_TYPE_LABELS
from .labels import GROUP_STATUS, MEMBER_ROLE
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    labels.register(group=GROUP_STATUS, role=MEMBER_ROLE, business_type=BUSINESS_TYPE_LABELS)
    cache.watch("groups")
    # what the signed-in person may do in a group, from the one table (roles.ACTIONS): a page that shows
    # several buttons asks `standing(group.id)` once (one query) and then `.can(action)`
    app.jinja_env.globals.update(
        standing=lambda group_id: roles.standing(current_user, group_id),
        can=lambda group_id, action: roles.can(current_user, group_id, action),
        who_may=roles.who_may,
        # the buyer's WhatsApp link to the group, its message written in (None: no number, or hidden)
        product_chat_link=contact.product_chat_link,
        order_chat_link=contact.order_chat_link,
        group_chat_link=lambda group: contact.chat_link(group, ""),
    )
