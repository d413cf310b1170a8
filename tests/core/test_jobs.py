"""The job queue: RQ on a real Redis. Photo variants are made by a job (the upload answers
once the original is stored; a placeholder until then; a broken image is never shown; a failing job is
retried); e-mails about orders survive a Redis outage and go once; failed jobs can be seen and retried."""

import io
import os
import shutil
import socket
import subprocess
import time

import pytest
import redis as redis_lib
from rq import SimpleWorker

from app.catalog.models import Photo
from app.core import jobs
from app.extensions import db
from tests.support.buying import checkout_body
from tests.support.factories import jpeg, login, token

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")  # a run's own database


def _redis_or_skip(url: str = REDIS):
    try:
        conn = redis_lib.Redis.from_url(url, socket_connect_timeout=1)
        conn.ping()
    except redis_lib.exceptions.ConnectionError:
        import os

        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is required in CI: {url}")
        pytest.skip("no Redis on 127.0.0.1:6379")
    return conn


@pytest.fixture
def queue(app):
    conn = _redis_or_skip()
    conn.flushdb()
    app.config.update(REDIS_URL=REDIS, JOBS_EAGER=False, STORAGE_BACKEND="local")  # a real queue, a worker below
    app.extensions.pop("pasar_redis", None)
    app.extensions.pop("pasar_storage", None)
    yield conn
    conn.flushdb()
    app.extensions.pop("pasar_redis", None)


def work():
    """A worker in this process (the jobs run in the test's app context), until the queue is empty."""
    from app.core.redis_conn import connection

    SimpleWorker([jobs.QUEUE], connection=connection()).work(burst=True, with_scheduler=False)


def test_photo_variants_are_made_by_a_job_with_a_placeholder_until_then(app, client, make, queue):
    group = make.group(make.user("ketua@uji.example"))
    product = make.product(group)
    page = app.test_client()
    login(page, "ketua@uji.example")
    sent = page.post(
        f"/products/{product.id}/photos",
        data={"file": (io.BytesIO(jpeg((2400, 1800))), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    photo = db.session.scalars(db.select(Photo)).one()
    assert photo.status == "pending" and photo.keys == {} and photo.original_key.startswith("originals/")
    assert client.get(f"/media/{photo.original_key}").status_code == 404  # the upload (EXIF and all) is private
    html = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    assert "Foto sedang diproses" in html and "<img" not in html.split('class="gallery"')[1].split("</section>")[0]
    assert client.get(f"/api/v1/products/{product.id}").json["photos"] == []
    work()
    db.session.expire_all()
    assert photo.status == "ready" and sorted(photo.keys) == ["1280", "320", "640"] and photo.original_key is None
    html = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    assert "Foto sedang diproses" not in html and photo.keys["640"] in html
    from app.core.storage import storage

    assert not any(k.startswith("originals/") for k in storage().keys())


def test_an_api_upload_with_the_queue_is_accepted_and_retries_are_safe(app, client, make, queue):
    """With a real queue (a worker runs the job later), the API answers 202 with the photo as it is
    (processing, no URL yet) and where to follow it; a retry of the same file, before or after the job,
    is that same photo: one row, one stored upload."""
    group = make.group(make.user("ketua@uji.example"))
    product = make.product(group)
    auth = token(client, "ketua@uji.example")
    raw = jpeg((2400, 1800))

    def send():
        return client.post(
            f"/api/v1/products/{product.id}/photos",
            headers=auth,
            data={"file": (io.BytesIO(raw), "a.jpg")},
            content_type="multipart/form-data",
        )

    first = send()
    assert first.status_code == 202, first.get_data(as_text=True)
    assert first.json["status"] == "processing" and first.json["url"] is None and first.json["variants"] == {}
    assert (first.json["width"], first.json["height"]) == (2400, 1800)
    where = first.headers["Location"]
    assert where == f"/api/v1/products/{product.id}/photos/{first.json['id']}"
    retried = send()
    assert retried.status_code == 202 and retried.json["id"] == first.json["id"]
    from app.core.storage import storage

    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    assert len([k for k in storage().keys() if k.startswith("originals/")]) == 1
    assert client.get(where, headers=auth).json["status"] == "processing"
    assert client.get(where).status_code == 401
    work()
    done = client.get(where, headers=auth)
    assert (
        done.status_code == 200 and done.json["status"] == "ready" and done.json["url"] == done.json["variants"]["1280"]
    )
    assert client.get(done.json["url"]).status_code == 200
    late = send()  # the answer was lost again, after the job
    assert late.status_code == 200 and late.json == done.json
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    assert client.get(f"/api/v1/products/{product.id}").json["photos"] == [done.json]


def test_a_broken_image_is_never_shown_and_a_failing_job_is_retried(app, client, make, queue, monkeypatch):
    group = make.group(make.user("ketua@uji.example"))
    product = make.product(group)
    page = app.test_client()
    login(page, "ketua@uji.example")
    whole = jpeg((1200, 900))
    page.post(
        f"/products/{product.id}/photos",
        data={"file": (io.BytesIO(whole[: len(whole) // 2]), "cut.jpg")},
        content_type="multipart/form-data",
    )  # the header is fine; the pixels stop half-way
    work()
    broken = db.session.scalars(db.select(Photo)).one()
    assert broken.status == "failed" and broken.original_key is None
    assert "tidak bisa dibaca" in page.get(f"/products/{product.id}/edit").get_data(as_text=True)
    assert (
        "<img"
        not in client.get(f"/p/{product.id}/{product.slug}")
        .get_data(as_text=True)
        .split('class="gallery"')[1]
        .split("</section>")[0]
    )
    # the storage fails once while writing the variants: the job is tried again and the photo appears
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0, 0, 0])
    from app.core import storage as storage_module

    real_put, calls = storage_module.LocalStorage.put, []

    def flaky_put(self, key, data):
        calls.append(key)
        if key.startswith("products/") and len(calls) == 2:
            raise OSError("disk went away")
        return real_put(self, key, data)

    monkeypatch.setattr(storage_module.LocalStorage, "put", flaky_put)
    page.post(
        f"/products/{product.id}/photos",
        data={"file": (io.BytesIO(jpeg((1200, 900))), "b.jpg")},
        content_type="multipart/form-data",
    )
    work()
    db.session.expire_all()
    good = db.session.scalars(db.select(Photo).where(Photo.id != broken.id)).one()
    assert good.status == "ready" and len(good.keys) == 3
    from app.core.storage import storage

    stored = set(storage().keys())
    assert set(good.keys.values()) <= stored and len([k for k in stored if k.startswith("products/")]) == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_server(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            redis_lib.Redis(port=port).ping()
            return proc
        except redis_lib.exceptions.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("redis-server did not start")


def test_an_order_placed_while_redis_is_down_is_mailed_once_when_it_is_back(app, client, make):
    port = _free_port()
    server = _redis_server(port)
    app.config.update(REDIS_URL=f"redis://127.0.0.1:{port}/0", JOBS_EAGER=False)
    app.extensions.pop("pasar_redis", None)
    try:
        group = make.group(make.user("ketua@uji.example"))
        product = make.product(group, stock=10)
        make.user("pembeli@uji.example")
        headers = token(client, "pembeli@uji.example")
        before = db.session.scalar(db.select(db.func.max(jobs.OutboxJob.id))) or 0  # mails of the set-up
        db.session.execute(db.update(jobs.OutboxJob).values(status="done"))
        db.session.commit()
        server.terminate()
        server.wait(timeout=10)
        app.extensions.pop("pasar_redis", None)
        placed = client.post("/api/v1/checkouts", headers=headers, json=checkout_body([(product.id, 2)]))
        assert placed.status_code == 201  # the order stands; its e-mail waits in the outbox
        waiting = db.session.scalars(db.select(jobs.OutboxJob).where(jobs.OutboxJob.id > before)).all()
        assert [(w.task, w.status) for w in waiting] == [("mail.deliver", "pending")]
        assert not any("diterima" in m["Subject"] for m in app.extensions.get("mail_outbox", []))
        server = _redis_server(port)  # back (empty: it kept nothing)
        app.extensions.pop("pasar_redis", None)
        assert jobs.relay(older_than_seconds=0) == 1
        assert jobs.relay(older_than_seconds=0) == 0  # queued already
        jobs._push("outbox.run", [waiting[0].id])  # and pushed twice, as a retried relay might
        work()
        sent = [m for m in app.extensions.get("mail_outbox", []) if "diterima" in m["Subject"]]
        assert len(sent) == 1 and sent[0]["To"] == "pembeli@uji.example"
        db.session.expire_all()
        assert waiting[0].status == "done"
    finally:
        server.kill()
        app.extensions.pop("pasar_redis", None)


def test_failed_jobs_can_be_seen_and_retried(app, client, make, queue, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0])
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nobody listens
    from app.core import mail

    mail.send("siapa@uji.example", "Uji", "isi")
    work()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["jobs", "failed"])
    assert listed.exit_code == 0 and "1 failed" in listed.output and "mail.deliver" in listed.output
    assert "ConnectionRefusedError" in listed.output or "refused" in listed.output.lower()
    app.config.update(MAIL_BACKEND="memory")
    again = runner.invoke(args=["jobs", "retry"])
    assert "requeued 1" in again.output
    work()
    assert [m["To"] for m in app.extensions.get("mail_outbox", [])] == ["siapa@uji.example"]
    assert "0 failed" in runner.invoke(args=["jobs", "failed"]).output
