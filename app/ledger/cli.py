import click
from flask.cli import AppGroup

from . import book

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
