import click
from flask.cli import AppGroup

from . import book
from . import reconcile as reconcile_module

ledger_cli = AppGroup("ledger", help="The groups' money: the ledger.")


@ledger_cli.command("check")
def check():
    """Prove that every posting balances (its entries sum to zero) and every account's kept balance equals
    the sum of its entries; exits 1 on any difference, naming it."""
    result = book.check()
    for key, total in result.unbalanced:
        click.echo(f"posting {key} does not balance: its entries sum to {total}")
    for code, kept, total in result.wrong_balances:
        click.echo(f"account {code}: kept balance {kept}, its entries sum to {total}")
    if not result.ok:
        raise SystemExit(1)
    click.echo(f"ledger ok: {result.postings} postings balance, {result.accounts} accounts agree with their entries")


@ledger_cli.command("reconcile")
@click.option("--days", default=reconcile_module.DAYS, show_default=True, help="How far back to look at the providers.")
def reconcile(days: int):
    """Compare what Stripe, Midtrans and the platform's bank (its uploaded statement) say with the ledger, now
    (the daily job `ledger.reconcile` does the same); the differences wait for an admin at /admin/ledger.
    Exits 1 when any difference is open."""
    run = reconcile_module.run_reconciliation(days)
    for provider, result in run.summary["providers"].items():
        click.echo(f"{provider}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
    still_open = reconcile_module.open_count()
    click.echo(f"{still_open} differences open (/admin/ledger)")
    if still_open:
        raise SystemExit(1)
