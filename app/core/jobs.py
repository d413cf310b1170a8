"""Work that does not belong in a request: photo variants, e-mails, the periodic jobs. On Redis through
RQ when REDIS_URL is set (`flask worker` runs them, `flask scheduler` enqueues the periodic ones),
retried with backoff, failures kept in RQ's failed registry (`flask jobs failed`, `flask jobs retry`).
Without Redis (the SQLite demo) every job runs at once, inline, so `./scripts/dev` stays one command.

A job that must not be lost (an e-mail about an order or a payment) is written first to the
`job_outbox` table and committed, then pushed to Redis; if Redis is away the row waits and the
scheduler's relay pushes it again later. The job marks its row done when it has run, and a row already
done is not run again, so it happens once even if it was pushed twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.redis_conn import connection
from app.core.types import UTCDateTime, utcnow
from app.extensions import Model, db

log = logging.getLogger(__name__)
QUEUE = "pasar"
RETRY_INTERVALS = [10, 60, 300]  # seconds between tries: three more tries over about six minutes

# what can run as a job: the name the queue carries -> the function (each area marks its own with @task)
TASKS: dict[str, Callable] = {}
# the periodic jobs `flask scheduler` enqueues: name -> seconds between runs
PERIODIC: dict[str, int] = {}


def task(name: str, every: int | None = None) -> Callable[[Callable], Callable]:
    """Mark a function as a job the queue may carry under `name`; with `every`, the scheduler also runs it
    every that many seconds. The areas' modules are imported when the app starts, so the worker's app
    knows every job."""

    def register(function: Callable) -> Callable:
        TASKS[name] = function
        if every:
            PERIODIC[name] = every
        return function

    return register


class OutboxJob(Model):
    """A job recorded in the database before it is queued: it survives a Redis outage."""

    __tablename__ = "job_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(40))
    args: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | queued | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _function(name: str) -> Callable:
    return TASKS[name]


def queued() -> bool:
    """Whether jobs go to Redis (REDIS_URL set and JOBS_INLINE off)."""
    return bool(current_app.config.get("REDIS_URL")) and not current_app.config.get("JOBS_INLINE")


def _queue():
    from rq import Queue

    # JOBS_EAGER (the test suite's PostgreSQL leg): each job still goes through RQ and Redis, but runs at
    # once in the process that enqueued it
    return Queue(QUEUE, connection=connection(), is_async=not current_app.config.get("JOBS_EAGER"))


def _push(task: str, args: list, job_id: str | None = None, description: str | None = None) -> None:
    from rq import Retry

    _queue().enqueue(
        "app.core.jobs.run",
        task,
        args,
        job_id=job_id,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        failure_ttl=30 * 86400,
        result_ttl=3600,
        description=description or f"{task}{tuple(args)}",
    )


def enqueue(task: str, *args) -> None:
    """Run `task` now (inline) or on the queue. A job lost with Redis is one the periodic work redoes
    (photo variants are looked for again by the relay)."""
    if not queued():
        _function(task)(*args)
        return
    try:
        _push(task, list(args))
    except Exception:
        log.warning("job %s%s not queued now; the relay will find it", task, tuple(args), exc_info=True)


def enqueue_durable(task: str, *args) -> None:
    """Like enqueue, but written to the outbox first (its own commit): a Redis outage delays the job,
    never loses it, and it runs once."""
    if not queued():
        _function(task)(*args)
        return
    row = OutboxJob(task=task, args=list(args))
    db.session.add(row)
    db.session.commit()
    try:
        _push("outbox.run", [row.id], job_id=f"outbox-{row.id}", description=f"{task} (outbox {row.id})")
    except Exception:
        log.warning("job %s (outbox %s) not queued now; the relay will", task, row.id, exc_info=True)
        return
    row.status, row.queued_at = "queued", utcnow()
    db.session.commit()


@task("outbox.run")
def run_outbox(row_id: int) -> None:
    row = db.session.get(OutboxJob, row_id, with_for_update=True)
    if row is None or row.status == "done":
        db.session.rollback()
        return  # already run (pushed twice): once is enough
    _function(row.task)(*row.args)
    row.status, row.done_at = "done", utcnow()
    db.session.commit()


@task("outbox.relay", every=60)
def relay(older_than_seconds: int = 30) -> int:
    """Push the outbox rows Redis missed (pending), and those queued long ago but never run (lost with
    Redis's memory). Run by the scheduler every minute."""
    if not queued():
        return 0
    now = utcnow()
    rows = db.session.scalars(
        select(OutboxJob)
        .where(
            ((OutboxJob.status == "pending") & (OutboxJob.created_at < now - timedelta(seconds=older_than_seconds)))
            | ((OutboxJob.status == "queued") & (OutboxJob.queued_at < now - timedelta(hours=1)))
        )
        .order_by(OutboxJob.id)
        .limit(500)
    ).all()
    pushed = 0
    for row in rows:
        _push("outbox.run", [row.id], job_id=f"outbox-{row.id}", description=f"{row.task} (outbox {row.id})")
        row.status, row.queued_at = "queued", utcnow()
        db.session.commit()
        pushed += 1
    return pushed


# ------------------------------------------------------------------ in the worker

_worker_app = None


def serve(app) -> None:
    """The app the worker's jobs run in (`flask worker` gives its own)."""
    global _worker_app
    _worker_app = app


def run(task: str, args: list):
    """What RQ runs: the task inside an app context (the worker's app, given by `serve`)."""
    if has_app_context():
        return _function(task)(*args)
    if _worker_app is None:
        raise RuntimeError("no app for the job: `flask worker` serves one (jobs.serve)")
    with _worker_app.app_context():
        try:
            return _function(task)(*args)
        finally:
            db.session.remove()


def depths() -> dict[str, tuple[int, int]]:
    """Jobs waiting and jobs failed, per queue (for /metrics)."""
    if not queued():
        return {}
    q = _queue()
    return {QUEUE: (q.count, q.failed_job_registry.count)}
