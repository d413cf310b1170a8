"""Builders for test data, through the same services the pages use."""

from __future__ import annotations

import io
import itertools
import re

from PIL import Image

from app.accounts import registration as accounts
from app.catalog import photos, products
from app.core.types import utcnow
from app.extensions import db
from app.groups import services as groups

PASSWORD = "rahasia-uji-123"
_seq = itertools.count(1)


class Factory:
    def __init__(self, app):
        self.app = app

    def user(self, email: str | None = None, name: str = "Ibu Uji", role: str = "user", proven: bool = True, **scope):
        """proven: as if the link e-mailed to the address had been opened (False: an account made through
        the API whose address nobody proved)."""
        email = email or f"user{next(_seq)}@uji.example"
        if role == "user":
            user = accounts.register(email, PASSWORD, name)
            if proven:
                user.email_proven_at = utcnow()
                db.session.commit()
            return user
        return accounts.create_operator(email, role, PASSWORD, scope.get("province"), scope.get("regency"))

    def admin(self):
        return self.user(f"admin{next(_seq)}@uji.example", role="admin")

    def group(self, chair=None, *, name: str | None = None, regency: str = "64.72", verified: bool = True, **extra):
        chair = chair or self.user()
        data = {
            "name": name or f"UPPKS Uji {next(_seq)}",
            "regency": regency,
            "business_type": "industri_rumah_tangga",
            "member_count": 12,
            "whatsapp": "081234567890",
            **extra,
        }
        group = groups.register_group(chair, data)
        if verified:
            groups.verify_group(self.admin(), group.slug)
        return group

    def product(self, group, member=None, **fields):
        member = member or self.chair_of(group)
        data = {
            "name": "Amplang Ikan Pipih",
            "category": "amplang",
            "description": "Renyah dan gurih.",
            "unit": "bungkus",
            "net_weight_g": 200,
            "price_idr": 25000,
            "stock": 50,
            "status": "active",
        }
        data.update(fields)
        return products.create_product(member, group.slug, data)

    def chair_of(self, group):
        return next(m.user for m in groups.members(group) if m.role == "chair")

    def photo(self, product, member=None, size=(800, 600)):
        return photos.add_photo(member or self.chair_of(product.group), product.id, jpeg(size)).photo


def jpeg(size=(800, 600), colour=(200, 100, 50), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **save)
    return out.getvalue()


def png(size) -> bytes:
    """A PNG of one colour: a few KB to send, however many pixels it decodes to."""
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, "PNG", optimize=True)
    return out.getvalue()


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password}, follow_redirects=False)


def token(client, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['token']}"}


def last_link(app, path_prefix: str) -> str:
    """The path of the newest link e-mailed by the app (tests keep mail in memory) that starts so."""
    for message in reversed(app.extensions.get("mail_outbox", [])):
        found = re.search(r"http://localhost(" + re.escape(path_prefix) + r"\S+)", message.get_content())
        if found:
            return found.group(1)
    raise AssertionError(f"no e-mailed link to {path_prefix}")


def invitation_path(app) -> str:
    return last_link(app, "/invitations/")


def document(response) -> tuple[int, str, bytes]:
    """A private document as the person allowed sees it: the bytes from the app (local storage), or from
    the presigned URL the app redirects to (object storage)."""
    import urllib.request

    location = response.headers.get("Location", "")
    if response.status_code == 302 and "X-Amz-Signature=" in location:
        with urllib.request.urlopen(location, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read()
    return response.status_code, response.mimetype, response.get_data()


def fetch(client, url: str) -> tuple[int, str, bytes]:
    """A photo URL: the app's own /media (local storage) or the bucket's public URL."""
    import urllib.error
    import urllib.request

    if url.startswith("http"):
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return answer.status, answer.headers.get_content_type(), answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, "", b""
    response = client.get(url)
    return response.status_code, response.mimetype, response.get_data()


def stored(app) -> dict[str, bytes]:
    """Every file the app's storage holds (local folder or bucket), by key."""
    from app.core.storage import storage

    store = storage()
    return {key: store.read(key) for key in store.keys()}


def last_code(app, phone: str) -> str:
    """The newest one-time code the app wrote to its log for `phone` (E.164; no WhatsApp configured)."""
    for number, code in reversed(app.extensions.get("logged_codes", [])):
        if number == phone:
            return code
    raise AssertionError(f"no code logged for {phone}")


def phone_sign_in(app, client, phone: str, name: str | None = None):
    """Sign in (or up, with `name`) by a code sent to `phone` ("0812…" or E.164): the answer to the code."""
    if name:
        client.post("/register/phone", data={"name": name, "phone": phone})
    else:
        client.post("/login/phone", data={"phone": phone})
    e164 = "+62" + phone.lstrip("+").removeprefix("62").removeprefix("0")
    return client.post("/login/phone/code", data={"code": last_code(app, e164)})
