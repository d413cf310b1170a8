import click
from flask.cli import AppGroup

from app.payments import services as payments

orders_cli = AppGroup("orders", help="Orders.")
payments_cli = AppGroup("payments", help="Payments.")


@orders_cli.command("expire")
def expire():
    """Unpaid checkouts past their deadline give their stock back (run every few minutes from cron)."""
    summary = payments.expire_unpaid()
    click.echo(f"expired {summary['expired']}, found paid {summary['paid']}")


@payments_cli.command("reconcile")
def reconcile():
    """Settle unpaid card checkouts against Stripe (lost webhooks, closed browsers, provider outages)."""
    summary = payments.reconcile()
    click.echo(" ".join(f"{k} {v}" for k, v in summary.items()))


permits_cli = AppGroup("permits", help="Permits.")


@permits_cli.command("notify-expiring")
@click.option("--days", default=60, show_default=True)
def notify_expiring(days):
    """Tell each group, once, about verified permits that run out within DAYS (run daily from cron)."""
    from app.officers.services import notify_expiring as run

    click.echo(f"notified {run(days)} permits")
