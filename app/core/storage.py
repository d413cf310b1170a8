"""Where files are kept: the only module that knows. A local folder now; the interface is what an
S3-compatible backend would implement too. Keys are random, never the client's file name."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app


# Transfer proofs and permit scans are personal or business documents: never served from the public
# media URL, only through a view that checks who asks (send_private).
PRIVATE_FOLDERS = ("proofs", "permits")


def is_private(key: str) -> bool:
    return key.split("/", 1)[0] in PRIVATE_FOLDERS


class LocalStorage:
    def __init__(self, root: str, base_url: str):
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") + "/"

    def new_key(self, folder: str, suffix: str) -> str:
        return f"{folder}/{secrets.token_hex(2)}/{secrets.token_urlsafe(18)}{suffix}"

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
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            pass

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def url(self, key: str) -> str:
        return self.base_url + key

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def storage() -> LocalStorage:
    app = current_app._get_current_object()
    store = app.extensions.get("pasar_storage")
    if store is None:
        store = LocalStorage(app.config["MEDIA_ROOT"], app.config["MEDIA_URL"])
        app.extensions["pasar_storage"] = store
    return store


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
