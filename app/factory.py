"""create_app: the platform's core, then each area in the order of the layers (see docs/design.md)."""

from __future__ import annotations

from flask import Flask

from app import demo
from app.accounts import area as accounts
from app.api import area as api
from app.catalog import area as catalog
from app.core import area as core
from app.events import area as events
from app.export import area as export
from app.groups import area as groups
from app.ledger import area as ledger
from app.officers import area as officers
from app.orders import area as orders
from app.payments import area as payments
from app.sales import area as sales
from app.wholesale import area as wholesale
from config import BASE_DIR, settings

# every area plugs in with init_app(app): blueprints, commands, jobs, labels, cached tables, helpers
AREAS = (accounts, groups, catalog, ledger, orders, payments, export, wholesale, events, sales, officers, api)


def create_app(config: str | dict | None = None) -> Flask:
    """The app for an environment's name (PASAR_ENV when None), or for a dict of settings over those of
    its PASAR_ENV (test when not given)."""
    app = Flask(
        "app",
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if isinstance(config, dict):
        app.config.update(settings(config.get("PASAR_ENV", "test")))
        app.config.update(config)
    else:
        app.config.update(settings(config))
    core.init_app(app)
    for area in AREAS:
        area.init_app(app)
    app.cli.add_command(demo.demo_cli)
    core.finish(app)
    return app
