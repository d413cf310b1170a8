"""Groups: the UPPKS groups, their members and the officers' decisions about them."""

from flask import Flask

from app.core import cache, labels

from . import models  # noqa: F401
from .forms import BUSINESS_TYPE_LABELS
from .labels import GROUP_STATUS, MEMBER_ROLE
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    labels.register(group=GROUP_STATUS, role=MEMBER_ROLE, business_type=BUSINESS_TYPE_LABELS)
    cache.watch("groups")
