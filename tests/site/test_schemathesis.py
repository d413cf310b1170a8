"""Schemathesis against the live API: a real HTTP server on 127.0.0.1, every operation of the
OpenAPI document, as each role (anonymous, buyer, group chair, business buyer, officer, admin), with a
fixed seed and a bounded number of cases. It fails on any 5xx and on any answer that the document
does not describe (status, content type, body). Besides what it draws from the document, a share of the
requests carry what an attacker sends (tests/support/schemathesis_hooks.py): JSON nested thousands deep,
non-ASCII bodies and headers (Stripe-Signature among them, with Stripe and Midtrans configured), crafted
cursors and months, and the seeded groups' real slugs and ids. The served app fails the test on any 5xx
it answered, whatever schemathesis made of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.accounts import passwords as accounts
from app.extensions import db
from app.wholesale import organisations as wholesale
from tests.fakes.midtrans_server import FakeMidtrans
from tests.support.buying import checkout_body, two_groups
from tests.support.fixtures import watch_for_server_errors

ROOT = Path(__file__).resolve().parents[2]

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
SEED = 2026


@pytest.fixture
def live_api(app, make, migrated, tmp_path):
    """A seeded marketplace served over HTTP by its own app object (its own sessions and connections)."""
    samarinda, _bengkulu, amplang, _keripik = two_groups(make)
    make.user("pembeli@uji.example")
    officer = make.user("petugas@uji.example", role="officer", province="64")
    admin = make.admin()
    hotel = make.user("hotel@uji.example")
    org = wholesale.register_org(
        hotel, {"name": "Hotel Uji Samarinda", "type": "hotel", "province": "64", "regency": "64.72"}
    )
    wholesale.verify_org(admin, org.id, 30)
    client = app.test_client()
    tokens = {"anonymous": None}
    for role, email in (
        ("buyer", "pembeli@uji.example"),
        ("chair", "ketua.smd@uji.example"),
        ("business", "hotel@uji.example"),
        ("officer", officer.email),
        ("admin", admin.email),
    ):
        tokens[role] = accounts.issue_token(email, "rahasia-uji-123")[0]
    auth = {"Authorization": f"Bearer {tokens['buyer']}"}
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 1)]))
    assert placed.status_code == 201
    db.session.commit()
    known = {
        "slug": samarinda.slug,
        "product_id": amplang.id,
        "order_id": placed.json["orders"][0]["id"],
        "org_id": org.id,
    }
    with FakeMidtrans("SB-Mid-server-fuzz") as midtrans:  # its signature check is reached (no call follows a bad one)
        served = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": migrated,
                "MEDIA_ROOT": str(tmp_path / "media"),
                "STRIPE_WEBHOOK_SECRET": "whsec_fuzz" + "0" * 20,
                "STRIPE_SECRET_KEY": "sk_test_fuzz",
                "MIDTRANS_SERVER_KEY": midtrans.server_key,
                "MIDTRANS_API_URL": midtrans.url,
            }
        )
        server_errors = watch_for_server_errors(served)
        server = make_server("127.0.0.1", 0, served, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", tokens, known
        server.shutdown()
        with served.app_context():
            db.engine.dispose()
    assert not server_errors, f"the served API answered 5xx: {server_errors}"


def _schemathesis() -> str:
    return shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")


@pytest.mark.parametrize("role", ["anonymous", "buyer", "chair", "business", "officer", "admin"])
def test_the_api_answers_every_input_as_documented(live_api, role, tmp_path):
    base, tokens, known = live_api
    command = [
        _schemathesis(),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-color",
        "--request-timeout",
        "20",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-failures",
        "20",
        "--suppress-health-check",
        "all",
        "--generation-database",
        "none",
        "--warnings",
        "off",
    ]
    if tokens[role]:
        command += [
            "--header",
            f"Authorization: Bearer {tokens[role]}",
            # signing out would end the run's own token half-way
            "--exclude-path",
            "/auth/token",
        ]
    env = dict(
        os.environ,
        SCHEMATHESIS_HOOKS="tests.support.schemathesis_hooks",
        PASAR_FUZZ_PATH=json.dumps(known),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    report = result.stdout[-15000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
