"""Events: bazaars and fairs, groups taking part, paying at the stand, pick-up there."""

from flask import Flask

from app.core import cache, labels
from app.orders import shipping

from . import models, pickup, stand  # noqa: F401
from .labels import EVENT_KIND, EVENT_OPEN_TO, TAKING_PART
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    labels.register(event_kind=EVENT_KIND, event_open_to=EVENT_OPEN_TO, taking_part=TAKING_PART)
    cache.watch("events", "event_groups")
    stand.register()  # paying at the stand, for pick-up at an event
    shipping.register_pickup_points(pickup.pickup_points)
    app.jinja_env.globals.update(stand_not_yet=stand.stand_not_yet)  # the group's orders page
