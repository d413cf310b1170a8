from __future__ import annotations

from typing import TYPE_CHECKING, cast

import click
from flask import current_app
from flask.cli import AppGroup

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.local import LocalProxy

from . import jobs
from . import storage as stores
from .jobs import PERIODIC, TASKS
from .redis_conn import connection

storage_cli = AppGroup("storage", help="Where uploaded files are kept.")


@storage_cli.command("migrate")
def migrate():
    """Copy the local MEDIA_ROOT into the S3 bucket (STORAGE_BACKEND=s3 and S3_*); resumable: a key already
    in the bucket with the same size is skipped. Switch STORAGE_BACKEND after it has run."""
    target = stores.make_s3_storage(current_app.config)
    source = stores.make_local_storage(current_app.config)
    done = stores.migrate_local_to(target, source, echo=lambda key: click.echo(f"copied {key}"))
    click.echo(f"copied {done['copied']}, already there {done['skipped']}")


jobs_cli = AppGroup("jobs", help="The job queue (RQ on REDIS_URL).")


def _need_queue():
    if not jobs.queued():
        raise click.ClickException("REDIS_URL is not set: jobs run inline, there is no queue")
    return jobs


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then stop.")
def worker(burst):
    """Run the queue's jobs (photo variants, e-mails, the periodic jobs): one process per CPU is plenty."""
    from rq import Worker

    jobs = _need_queue()
    # the app itself, not the proxy (which follows whatever context is current)
    jobs.serve(cast("LocalProxy[Flask]", current_app)._get_current_object())
    Worker([jobs.QUEUE], connection=connection()).work(burst=burst, with_scheduler=True)


@click.command("scheduler")
def scheduler():
    """Enqueue the periodic jobs (outbox relay every minute, checkout expiry every 5 minutes, payment
    reconciliation every 15, expiring-permit notices daily). Run one, anywhere (RQ's cron keeps a lock)."""
    from rq.cron import CronScheduler

    jobs = _need_queue()
    cron = CronScheduler(connection=connection())
    for task, seconds in jobs.PERIODIC.items():
        cron.register(jobs.run, jobs.QUEUE, args=(task, []), interval=seconds, name=task)
    cron.start()


@jobs_cli.command("relay")
def relay():
    """Queue what a Redis outage left in the outbox (the scheduler does this every minute)."""
    click.echo(f"queued {_need_queue().relay(older_than_seconds=0)}")


@jobs_cli.command("run")
@click.argument("task")
def run(task):
    """Run a periodic job now, in this process (cron, without the scheduler); `flask jobs list` names them."""

    if task not in PERIODIC:
        raise click.BadParameter(f"not a periodic job; one of: {', '.join(sorted(PERIODIC))}", param_hint="TASK")
    click.echo(f"{task}: {TASKS[task]()}")


@jobs_cli.command("list")
def list_jobs():
    """The jobs the queue carries, and how often the scheduler runs the periodic ones."""

    for name in sorted(TASKS):
        click.echo(f"{name}\t{f'every {PERIODIC[name]}s' if name in PERIODIC else 'on demand'}")


@jobs_cli.command("failed")
def failed():
    """Jobs that failed after their retries, with why."""
    from rq.job import Job

    jobs = _need_queue()
    registry = jobs._queue().failed_job_registry
    for job_id in registry.get_job_ids():
        job = Job.fetch(job_id, connection=connection())
        result = job.latest_result()
        reason = (result.exc_string or "").strip().splitlines()[-1:] if result else []
        click.echo(f"{job_id}  {job.description}  {' '.join(reason)}")
    click.echo(f"{registry.count} failed")


@jobs_cli.command("retry")
@click.argument("job_ids", nargs=-1)
def retry(job_ids):
    """Queue failed jobs again (all of them, or the ids given)."""
    jobs = _need_queue()
    registry = jobs._queue().failed_job_registry
    ids = job_ids or registry.get_job_ids()
    for job_id in ids:
        registry.requeue(job_id)
    click.echo(f"requeued {len(ids)}")
