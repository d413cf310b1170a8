"""The outside servers the app talks to, stood up locally for the tests: Stripe (localstripe), S3 (moto's
server), Midtrans, Biteship, Midtrans Payouts ("Iris"), WhatsApp's Cloud API and Twilio's SMS API
(tests/fakes/, each answering as its documented API does)."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.fakes.biteship_server import FakeBiteship
from tests.fakes.iris_server import FakeIris
from tests.fakes.midtrans_server import FakeMidtrans
from tests.fakes.twilio_server import FakeTwilio
from tests.fakes.whatsapp_server import FakeWhatsApp

MIDTRANS_SERVER_KEY = "SB-Mid-server-uji-0123456789"
BITESHIP_API_KEY = "biteship_test.uji0123456789"
BITESHIP_WEBHOOK_SECRET = "rahasia-webhook-uji"
IRIS_KEYS = {
    "IRIS_CREATOR_KEY": "IRIS-creator-uji-0123456789",
    "IRIS_APPROVER_KEY": "IRIS-approver-uji-0123456789",
    "IRIS_MERCHANT_KEY": "IRIS-merchant-d8709d85-uji",
}


# ------------------------------------------------------------------ Stripe, for real, through localstripe


@pytest.fixture(scope="session")
def localstripe():
    """A localstripe server (PyPI, a test dependency) on a free port, for the whole session."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    exe = shutil.which("localstripe") or str(Path(sys.executable).parent / "localstripe")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/js.stripe.com/v3/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("localstripe did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def stripe_app(app, localstripe):
    """The app talking to localstripe; webhooks come back to a live server of the app."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    secret = "whsec_" + secrets.token_hex(12)
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_" + secrets.token_hex(12),
        STRIPE_PUBLISHABLE_KEY="pk_test_local",
        STRIPE_API_BASE=localstripe,
        STRIPE_WEBHOOK_SECRET=secret,
        STRIPE_JS_URL=localstripe + "/js.stripe.com/v3/",
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = f"http://127.0.0.1:{server.server_port}"
    hook_id = "pasar-tests"  # one registration, pointed at this test's server (localstripe cannot delete one)
    data = f"url={live}/api/v1/payments/stripe/webhook&secret={secret}&events[]=payment_intent.succeeded&events[]=payment_intent.payment_failed"
    urllib.request.urlopen(
        urllib.request.Request(f"{localstripe}/_config/webhooks/{hook_id}", data=data.encode(), method="POST"),
        timeout=5,
    )
    app.config["LIVE_URL"] = live
    yield app
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 API server (PyPI, a test dependency) on 127.0.0.1, for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def public_read_policy(bucket: str) -> dict:
    """Photos readable by anyone (the bucket's public URL or a CDN); proofs and permit scans are not."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicPhotos",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/products/*"],
            }
        ],
    }


def s3_settings(endpoint: str, bucket: str) -> dict:
    return {
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": endpoint,
        "S3_BUCKET": bucket,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_ADDRESSING_STYLE": "path",
    }


@pytest.fixture
def s3(app, s3_server):
    """The app's uploads in a fresh bucket of the S3 server."""
    import boto3

    bucket = f"pasar-{secrets.token_hex(4)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    app.config.update(s3_settings(s3_server, bucket))
    app.extensions.pop("pasar_storage", None)
    yield client, bucket
    app.extensions.pop("pasar_storage", None)


# ------------------------------------------------------------------ Midtrans, through the fake server


@pytest.fixture
def midtrans(app):
    """The fake Midtrans server, with the app configured to call it (server key MIDTRANS_SERVER_KEY)."""
    with FakeMidtrans(MIDTRANS_SERVER_KEY) as fake:
        app.config.update(MIDTRANS_SERVER_KEY=MIDTRANS_SERVER_KEY, MIDTRANS_API_URL=fake.url)
        yield fake


# ------------------------------------------------------------------ Biteship, through the fake server


@pytest.fixture
def biteship(app):
    """The fake Biteship server, with the app configured to call it and to trust its webhook's secret header."""
    with FakeBiteship(BITESHIP_API_KEY, app.config["BITESHIP_WEBHOOK_HEADER"], BITESHIP_WEBHOOK_SECRET) as fake:
        app.config.update(
            BITESHIP_API_KEY=BITESHIP_API_KEY,
            BITESHIP_BASE_URL=fake.url,
            BITESHIP_WEBHOOK_SECRET=BITESHIP_WEBHOOK_SECRET,
        )
        yield fake


# ------------------------------------------------------------------ Midtrans Payouts (Iris), through the fake server


@pytest.fixture
def iris(app):
    """The fake Iris server, with the app configured to call it (the keys IRIS_KEYS)."""
    with FakeIris(
        IRIS_KEYS["IRIS_CREATOR_KEY"], IRIS_KEYS["IRIS_APPROVER_KEY"], IRIS_KEYS["IRIS_MERCHANT_KEY"]
    ) as fake:
        app.config.update(IRIS_API_URL=fake.url, **IRIS_KEYS)
        yield fake


# ------------------------------------------------------------------ WhatsApp, through the fake Cloud API


@pytest.fixture
def whatsapp(app):
    """The fake WhatsApp Cloud API, with the app configured to call it and to check its webhook's signature."""

    with FakeWhatsApp() as fake:
        app.config.update(
            WHATSAPP_TOKEN=fake.token,
            WHATSAPP_PHONE_NUMBER_ID=fake.phone_number_id,
            WHATSAPP_API_BASE=fake.url,
            WHATSAPP_APP_SECRET=fake.app_secret,
            WHATSAPP_VERIFY_TOKEN="verifikasi-uji",
        )
        yield fake


# ------------------------------------------------------------------ SMS, through the fake Twilio API


@pytest.fixture
def sms(app):
    """The fake Twilio Programmable Messaging API, with the app configured to send codes by SMS through it
    (a registered sender ID, as in Indonesia)."""
    with FakeTwilio() as fake:
        app.config.update(
            TWILIO_ACCOUNT_SID=fake.account_sid,
            TWILIO_AUTH_TOKEN=fake.auth_token,
            TWILIO_SMS_FROM="PasarUPPKS",
            TWILIO_API_BASE=fake.url,
        )
        yield fake
