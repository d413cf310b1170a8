import click
from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Orders.")  # its commands come from the areas that own them (payments/cli.py)
permits_cli = AppGroup("permits", help="Permits.")


@permits_cli.command("notify-expiring")
@click.option("--days", default=60, show_default=True)
def notify_expiring(days):
    """Tell each group, once, about verified permits that run out within DAYS (run daily from cron)."""
    from app.officers.services import notify_expiring as run

    click.echo(f"notified {run(days)} permits")
