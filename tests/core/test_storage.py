"""Storage: the same contract for the local folder and an S3-compatible bucket (moto's S3 server
on 127.0.0.1); photos served from the bucket's public URL, private documents only as short-lived presigned
URLs after the permission check; `flask storage migrate` copies local files, resumably."""

import io
import urllib.error
import urllib.request
from datetime import UTC

import pytest

from app.core.storage import LocalStorage, S3Storage, make_storage
from app.extensions import db
from tests.support.factories import jpeg, login


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path):
    if request.param == "local":
        return LocalStorage(str(tmp_path / "media"), "/media/")
    client, bucket = request.getfixturevalue("s3")
    return make_storage(app.config)


def test_the_storage_contract(store):
    key = store.new_key("photos", ".webp")
    assert key.startswith("photos/") and key.endswith(".webp") and not store.exists(key)
    store.put(key, b"RIFF-photo")
    assert store.exists(key) and store.read(key) == b"RIFF-photo"
    assert store.url(key).endswith("/" + key)
    store.put(key, b"RIFF-again")  # a key is written whole or not at all; writing again replaces it
    assert store.read(key) == b"RIFF-again"
    store.delete(key)
    assert not store.exists(key)
    store.delete(key)  # deleting what is gone is fine
    store.check()


def test_private_documents_are_presigned_for_minutes(app, s3):
    """The URL is signed for S3_PRESIGN_SECONDS from now (X-Amz-Date + X-Amz-Expires, both under the
    signature). moto's server does not enforce the expiry (real S3, MinIO and R2 do: 403 "Request has
    expired"), so this checks what we ask for, and that the URL works while it lasts."""
    from datetime import datetime
    from urllib.parse import parse_qs, urlparse

    app.config["S3_PRESIGN_SECONDS"] = 120
    app.extensions.pop("pasar_storage", None)
    store = make_storage(app.config)
    assert isinstance(store, S3Storage)
    key = store.new_key("proofs", ".webp")
    store.put(key, b"bukti transfer")
    url = store.private_url(key)
    query = parse_qs(urlparse(url).query)
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert query["X-Amz-Expires"] == ["120"] and abs((datetime.now(UTC) - signed_at).total_seconds()) < 30
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and len(query["X-Amz-Signature"][0]) == 64
    assert query["response-cache-control"] == ["private, no-store"]
    assert _get(url) == (200, b"bukti transfer")
    assert _get(store.url(key))[0] in (200, 403)  # the bucket's policy decides; the app never links it


def test_photos_and_proofs_through_the_bucket(app, client, make, s3):
    s3_client, bucket = s3
    group = make.group(make.user("ketua@uji.example"))
    product = make.product(group)
    page = app.test_client()
    login(page, "ketua@uji.example")
    sent = page.post(
        f"/products/{product.id}/photos",
        data={"file": (io.BytesIO(jpeg((1600, 1200))), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    keys = {o["Key"] for o in s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert len(keys) == 3 and all(k.startswith("products/") and k.endswith(".webp") for k in keys)
    head = s3_client.head_object(Bucket=bucket, Key=sorted(keys)[0])
    assert head["ContentType"] == "image/webp" and "immutable" in head["CacheControl"]
    html = client.get(f"/p/{product.id}/{product.slug}").get_data(as_text=True)
    src = next(u for u in (app.config["S3_ENDPOINT_URL"] + f"/{bucket}/" + k for k in keys) if u in html)
    status, body = _get(src)
    assert status == 200 and body[:4] == b"RIFF"  # served by the bucket, not the app
    # a transfer proof: private, only through the checking view, which hands out a presigned URL
    from tests.support.buying import checkout_body
    from tests.support.factories import token

    make.user("pembeli@uji.example")
    made = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(product.id, 1)])
    ).json
    from app.orders.models import Checkout

    checkout = db.session.get(Checkout, made["id"])
    client.post(
        f"/checkout/{checkout.access_key}/proof",
        data={"file": (io.BytesIO(jpeg()), "bukti.jpg")},
        content_type="multipart/form-data",
    )
    proof_key = next(
        k["Key"] for k in s3_client.list_objects_v2(Bucket=bucket)["Contents"] if k["Key"].startswith("proofs/")
    )
    assert "immutable" not in s3_client.head_object(Bucket=bucket, Key=proof_key).get("CacheControl", "")
    admin = app.test_client()  # the transfer went to the platform's account: an admin checks it
    login(admin, make.admin().email)
    shown = admin.get(f"/transfers/{checkout.id}/proof")
    assert shown.status_code == 302 and "X-Amz-Signature=" in shown.headers["Location"]
    assert shown.headers["Cache-Control"] == "private, no-store"
    assert _get(shown.headers["Location"])[0] == 200
    make.user("orang.lain@uji.example")
    stranger = app.test_client()
    login(stranger, "orang.lain@uji.example")
    assert stranger.get(f"/transfers/{checkout.id}/proof").status_code == 404
    assert client.get("/readyz").json == {"status": "ok"}


def test_storage_migrate_copies_local_files_and_resumes(app, make, s3, tmp_path):
    s3_client, bucket = s3
    local = LocalStorage(app.config["MEDIA_ROOT"], "/media/")
    for i in range(3):
        local.put(f"photos/ab/p{i}.webp", b"x" * (i + 1))
    local.put("proofs/cd/bukti.webp", b"private")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["storage", "migrate"])
    assert first.exit_code == 0 and "copied 4, already there 0" in first.output
    local.put("photos/ab/p3.webp", b"new")  # added since (or the first run stopped half-way)
    second = runner.invoke(args=["storage", "migrate"])
    assert "copied 1, already there 4" in second.output
    assert s3_client.get_object(Bucket=bucket, Key="proofs/cd/bukti.webp")["Body"].read() == b"private"
