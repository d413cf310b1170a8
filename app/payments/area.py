"""Payments: bank transfers with proofs, cards through Stripe, QRIS/VA/e-wallets through Midtrans."""

from flask import Flask

from app.core import labels

from . import cards, midtrans, models, reconcile, settlements, transfers  # noqa: F401
from .cli import payments_cli
from .labels import PAYMENT_METHOD


def init_app(app: Flask) -> None:
    app.cli.add_command(payments_cli)  # and `flask orders expire`
    labels.register(payment_method=PAYMENT_METHOD)
    transfers.register_method()
    cards.register_method()
    midtrans.register_methods()  # QRIS, virtual accounts, GoPay, ShopeePay (offered when MIDTRANS_SERVER_KEY is set)
    settlements.register()  # what Stripe, Midtrans and the bank say, for the ledger's reconciliation
