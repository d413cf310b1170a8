"""Accounts: people, sign-in, sessions, tokens, invitations, officers' scope and their decisions."""

from flask import Flask

from app.core import labels
from app.extensions import login_manager

from . import (
    models,  # noqa: F401  (the metadata knows the area's tables)
    phone_views,  # noqa: F401  (its pages join the blueprint)
)
from .cli import users_cli
from .labels import DECISION
from .phones import display as phone_display
from .sessions import load_session_user
from .views import bp, my_group_home


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    login_manager.user_loader(load_session_user)
    labels.register(decision=DECISION)
    app.jinja_env.globals.update(my_group_home=my_group_home, phone_display=phone_display)
