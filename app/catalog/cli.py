import click
from flask.cli import AppGroup

from .expiring import notify_expiring as notify

permits_cli = AppGroup("permits", help="Permits.")


@permits_cli.command("notify-expiring")
@click.option("--days", default=60, show_default=True)
def notify_expiring(days):
    """Tell each group, once, about verified permits that run out within DAYS (run daily from cron)."""
    click.echo(f"notified {notify(days)} permits")
