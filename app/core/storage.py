"""Where files are kept: the only module that knows. A local folder (the demo, one machine) or an
S3-compatible bucket (AWS S3, MinIO, Cloudflare R2…, through boto3), chosen by STORAGE_BACKEND. Keys are
random, never the client's file name. Public photos are served from MEDIA_URL (the bucket's public URL
or a CDN in front of it); private documents (transfer proofs, permit scans) only through a view that
checks who asks, which hands out the bytes (local) or a short-lived presigned URL (S3)."""

from __future__ import annotations

import os
import posixpath
import secrets
from pathlib import Path

from flask import current_app

# Transfer proofs and permit scans are personal or business documents: never served from the public
# media URL, only through a view that checks who asks (send_private).
PRIVATE_FOLDERS = ("proofs", "permits", "originals", "complaints")  # originals: uploads waiting for their variants


def plain_key(key: str) -> bool:
    """Whether a key asked for by URL is one we could have made: no "." or ".." segment, no empty one
    ("a//b", a leading "/"), no backslash. `/media/./proofs/…` or `/media/products/../proofs/…` would
    otherwise name a private file through a public first segment."""
    return "\\" not in key and not any(part in ("", ".", "..") for part in key.split("/"))


def is_private(key: str) -> bool:
    """Whether a key is a private document's, judged on the path it resolves to."""
    return posixpath.normpath("/" + key).lstrip("/").split("/", 1)[0] in PRIVATE_FOLDERS


def _new_key(folder: str, suffix: str) -> str:
    return f"{folder}/{secrets.token_hex(2)}/{secrets.token_urlsafe(18)}{suffix}"


class LocalStorage:
    def __init__(self, root: str, base_url: str):
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") + "/"

    def new_key(self, folder: str, suffix: str) -> str:
        return _new_key(folder, suffix)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("key outside the storage root")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def url(self, key: str) -> str:
        return self.base_url + key

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def private_url(self, key: str) -> str | None:
        """A local document is sent by the view itself (no URL to hand out)."""
        return None

    def check(self) -> None:
        """Ready: the folder is there and writable."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise OSError(f"{self.root} is not writable")

    def keys(self):
        """Every stored key (for `flask storage migrate`)."""
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path.relative_to(self.root).as_posix()


class S3Storage:
    """An S3-compatible bucket through boto3. Public photos are written with a year's immutable cache
    header; private documents under their own prefix, which the bucket policy must keep private."""

    def __init__(self, client, bucket: str, base_url: str, presign_seconds: int = 300):
        self.client, self.bucket = client, bucket
        self.base_url = base_url.rstrip("/") + "/"
        self.presign_seconds = presign_seconds

    def new_key(self, folder: str, suffix: str) -> str:
        return _new_key(folder, suffix)

    def put(self, key: str, data: bytes) -> None:
        extra = {"ContentType": _content_type(key)}
        if not is_private(key):
            extra["CacheControl"] = "public, max-age=31536000, immutable"
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, **extra)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def url(self, key: str) -> str:
        return self.base_url + key

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def private_url(self, key: str) -> str:
        """A presigned GET that expires after S3_PRESIGN_SECONDS (5 minutes by default)."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key, "ResponseCacheControl": "private, no-store"},
            ExpiresIn=self.presign_seconds,
        )

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)

    def keys(self):
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                yield item["Key"]

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except ClientError:
            return None


def _content_type(key: str) -> str:
    return {".webp": "image/webp", ".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}.get(
        Path(key).suffix.lower(), "application/octet-stream"
    )


def make_storage(config) -> LocalStorage | S3Storage:
    if config.get("STORAGE_BACKEND") == "s3":
        return make_s3_storage(config)
    return make_local_storage(config)


def make_s3_storage(config) -> S3Storage:
    """The bucket the S3_* settings name."""
    import boto3
    from botocore.config import Config as BotoConfig

    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        config=BotoConfig(
            signature_version="s3v4",
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
        ),
    )
    base = config.get("S3_PUBLIC_URL") or f"{client.meta.endpoint_url.rstrip('/')}/{config['S3_BUCKET']}"
    return S3Storage(client, config["S3_BUCKET"], base, int(config.get("S3_PRESIGN_SECONDS") or 300))


def make_local_storage(config) -> LocalStorage:
    """The folder MEDIA_ROOT, served from MEDIA_URL."""
    return LocalStorage(config["MEDIA_ROOT"], config["MEDIA_URL"])


def storage() -> LocalStorage | S3Storage:
    store = current_app.extensions.get("pasar_storage")
    if store is None:
        store = make_storage(current_app.config)
        current_app.extensions["pasar_storage"] = store
    return store


def migrate_local_to(target: S3Storage, source: LocalStorage, echo=print) -> dict[str, int]:
    """Copy every local file to the bucket; a key already there with the same size is skipped, so a run
    that stopped half-way picks up where it was."""
    done = {"copied": 0, "skipped": 0}
    for key in source.keys():
        data_size = source.local_path(key).stat().st_size
        if target.size(key) == data_size:
            done["skipped"] += 1
            continue
        target.put(key, source.read(key))
        done["copied"] += 1
        echo(key)
    return done


def replace_and_commit(folder: str, data: bytes, old_key: str | None, assign, session) -> str:
    """Store a new file, let `assign(key)` point the row at it, and commit. A failed commit leaves no
    new file; after a good one the old file goes. The one way to swap a stored document."""
    store = storage()
    key = store.new_key(folder, ".webp")
    store.put(key, data)
    assign(key)
    try:
        session.commit()
    except BaseException:
        session.rollback()
        store.delete(key)
        raise
    if old_key:
        store.delete(old_key)
    return key
