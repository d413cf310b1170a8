"""The ledger: what each group is owed (pending until the order is completed, then available), what was
paid straight to it, the platform's fees; `flask ledger check`; the group's money page."""

from flask import Flask

from app.core import labels

from . import auto_payouts, models, recon_models, reconcile  # noqa: F401
from .cli import ledger_cli
from .labels import KIND_LABELS, PAYOUT_STATUS_LABELS, STATE_LABELS, WHERE_LABELS
from .services import may_see_money
from .views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(ledger_cli)
    labels.register(
        ledger_kind=KIND_LABELS, ledger_state=STATE_LABELS, money_where=WHERE_LABELS, payout_status=PAYOUT_STATUS_LABELS
    )
    app.jinja_env.globals.update(may_see_money=may_see_money)  # pages link to the money page only for its viewers
