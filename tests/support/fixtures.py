"""Fixtures: every test runs on SQLite and on PostgreSQL (required when CI=true).

The schema is made by the migrations (`flask db upgrade`) once per backend, so every run tests
them too; after each test the tables are emptied.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tests.support.outside import public_read_policy, s3_settings

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_available() -> str | None:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only = os.environ.get("TEST_BACKENDS")
        backends = only.split(",") if only else ["sqlite", "postgresql"]
        marker = metafunc.definition.get_closest_marker("sqlite_only")
        if marker:
            backends = [b for b in backends if b == "sqlite"] or ["sqlite"]
        pg_only = metafunc.definition.get_closest_marker("postgresql_only")
        if pg_only:
            backends = ["postgresql"]
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
        return
    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"pasar_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_url, tmp_path_factory):
    """The schema, made by `flask db upgrade` on an empty database."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MEDIA_ROOT": str(tmp_path_factory.mktemp("media0"))})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_tables(app) -> None:
    keep = {"categories", "alembic_version", "shipping_rates"}  # seeded by the migrations
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in keep]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names}, product_fts RESTART IDENTITY CASCADE"))
        else:
            conn.execute(sa.text("DELETE FROM product_fts"))
            for t in tables:
                conn.execute(t.delete())


@pytest.fixture(scope="session")
def stack(backend, request):
    """What the app runs on besides its database (the settings; the bucket is made per test). The SQLite leg: the demo's (a local folder, jobs inline).
    The PostgreSQL leg: production's (an S3 bucket on moto's server, the job queue on Redis through RQ,
    run eagerly so the tests see each job's effect at once). TEST_STACK=local keeps the PostgreSQL leg
    on the local folder and inline jobs."""
    if backend != "postgresql" or os.environ.get("TEST_STACK", "full") == "local":
        return {}
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis is required in CI but not reachable at {url}: {exc}")
        return {}
    endpoint = request.getfixturevalue("s3_server")
    return dict(s3_settings(endpoint, ""), REDIS_URL=url, JOBS_EAGER=True)


def _fresh_redis(settings: dict) -> dict:
    """Each test starts with an empty Redis (queue, cached catalog fragments), as with an empty database."""
    if settings.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(settings["REDIS_URL"]).flushdb()
    return settings


def _fresh_bucket(settings: dict) -> dict:
    """Each test's uploads in a bucket of their own (as each gets a MEDIA_ROOT of its own)."""
    import boto3

    if settings.get("STORAGE_BACKEND") != "s3":
        return settings
    bucket = f"pasar-{secrets.token_hex(5)}"
    client = boto3.client(
        "s3",
        endpoint_url=settings["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    return dict(settings, S3_BUCKET=bucket)


def watch_for_server_errors(app) -> list[str]:
    """The 5xx answers `app` gives, as a list that grows: the `app` fixture, and every test that serves
    another app object over HTTP (schemathesis, browsers), fail when it is not empty at the end."""
    server_errors: list[str] = []

    @app.after_request
    def no_server_errors(response):
        from flask import request

        deliberate = response.status_code == 503 and request.path == "/readyz"  # "not ready" is its answer
        if response.status_code >= 500 and not deliberate:
            server_errors.append(f"{response.status_code} {request.method} {request.full_path}")
        return response

    return server_errors


def _ledger_problems(request) -> list:
    """`flask ledger check` after every test that moved money: each posting balances and each kept balance is
    the sum of its entries (a test that breaks a balance on purpose says so with @pytest.mark.ledger_tampered)."""
    from app.ledger.book import check
    from app.ledger.models import LedgerPosting

    if request.node.get_closest_marker("ledger_tampered") or not db.session.scalar(
        sa.select(LedgerPosting.id).limit(1)
    ):
        return []
    result = check()
    return [*result.unbalanced, *result.wrong_balances]


@pytest.fixture
def app(migrated, tmp_path, stack, request):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SECRET_KEY": secrets.token_hex(16),
            **_fresh_bucket(_fresh_redis(stack)),
        }
    )
    server_errors = watch_for_server_errors(app)
    with app.app_context():
        yield app
        db.session.remove()
        ledger = _ledger_problems(request)
        db.session.remove()
        _empty_tables(app)
        db.engine.dispose()
    assert not ledger, f"the ledger does not add up after this test: {ledger}"
    # the access log of the whole suite holds no 5xx: any test that made one fails here
    assert not server_errors, f"answered 5xx: {server_errors}"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    from tests.support.factories import Factory

    return Factory(app)


def pytest_report_header(config):
    problem = _pg_available()
    pg = "reachable, its tests run" if problem is None else f"NOT reachable ({problem})"
    return [f"backends: sqlite, postgresql at {PG_ADMIN_URL.split('@')[-1]}: {pg}"]
