import sys

import click
from flask.cli import AppGroup

from app.core.errors import DomainError

from . import registration

users_cli = AppGroup("users", help="Operators' accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "officer"]), required=True)
@click.option("--province", default=None, help="Province code (GET /api/v1/regions), for an officer.")
@click.option("--regency", default=None, help="Regency code, for an officer of one kabupaten/kota.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(email, role, province, regency, password_stdin):
    """Create (or promote) an admin or an officer."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = registration.create_operator(email, role, password, province, regency)
    except DomainError as exc:
        for field, messages in exc.errors.items():
            for m in messages:
                click.echo(f"{field}: {m}", err=True)
        raise SystemExit(2) from None
    scope = user.scope_regency or user.scope_province or "national"
    click.echo(f"{user.role} {user.email} created (scope: {scope if role == 'officer' else 'all'})")
