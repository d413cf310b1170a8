import click
from flask import current_app
from flask.cli import AppGroup

from . import storage as stores

storage_cli = AppGroup("storage", help="Where uploaded files are kept.")


@storage_cli.command("migrate")
def migrate():
    """Copy the local MEDIA_ROOT into the S3 bucket (STORAGE_BACKEND=s3 and S3_*); resumable: a key already
    in the bucket with the same size is skipped. Switch STORAGE_BACKEND after it has run."""
    config = dict(current_app.config, STORAGE_BACKEND="s3")
    target = stores.make_storage(config)
    source = stores.make_storage(dict(current_app.config, STORAGE_BACKEND="local"))
    done = stores.migrate_local_to(target, source, echo=lambda key: click.echo(f"copied {key}"))
    click.echo(f"copied {done['copied']}, already there {done['skipped']}")
