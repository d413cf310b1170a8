import click
from flask.cli import AppGroup

from app.orders.cli import orders_cli

from . import reconcile as reconciliation

payments_cli = AppGroup("payments", help="Payments.")


@orders_cli.command("expire")
def expire():
    """Unpaid checkouts past their deadline give their stock back (run every few minutes from cron); a
    payment found at Stripe or Midtrans keeps its checkout."""
    summary = reconciliation.expire_unpaid()
    click.echo(f"expired {summary['expired']}, found paid {summary['paid']}")


@payments_cli.command("reconcile")
def reconcile():
    """Settle unpaid card checkouts against Stripe and QRIS/VA/e-wallet ones against Midtrans (lost webhooks
    and notifications, closed browsers, provider outages)."""
    summary = reconciliation.reconcile()
    click.echo(" ".join(f"{k} {v}" for k, v in summary.items()))
