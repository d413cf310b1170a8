"""Two app servers behind one address: two gunicorn processes on one PostgreSQL, Redis and S3
(moto). Nothing in a process's memory matters: a buyer signs in on one, fills the cart and checks out on
the other, Midtrans's notification arrives at the first, and both see the order paid; sign-in attempts
are counted across both. (requests keeps cookies per host, not per port: like a browser behind a load
balancer.)"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.fakes.midtrans_server import FakeMidtrans
from tests.support.factories import PASSWORD
from tests.support.outside import s3_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")  # a run's own database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def _start(env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn on the port, its log (JSON lines: the app's access lines and errors) written to `log`."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
        )
    for _ in range(150):
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 200:
                return proc
        except (requests.ConnectionError, requests.Timeout):
            pass
        if proc.poll() is not None:
            pytest.fail("gunicorn stopped: " + log.read_text(errors="replace")[-2000:])
        time.sleep(0.2)
    pytest.fail(f"gunicorn on {port} never became ready")


def _server_errors(log: Path) -> list[str]:
    """The 5xx answers and unhandled errors in a server's JSON log, as the app fixture refuses them."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        status = entry.get("status")
        deliberate = status == 503 and entry.get("route") == "/readyz"
        if (isinstance(status, int) and status >= 500 and not deliberate) or entry.get("level") == "ERROR":
            found.append(entry.get("message", line)[:300])
    return found


@pytest.mark.postgresql_only
def test_a_buyer_across_two_servers_and_limits_counted_across_both(backend, app, make, s3, tmp_path):
    import redis

    try:
        redis.Redis.from_url(REDIS_DB).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis is required in CI")
        pytest.skip("no Redis")
    s3_client, bucket = s3
    group = make.group(make.user("ketua@uji.example"), name="UPPKS Mawar")
    product = make.product(group, name="Amplang Pipih", price_idr=25000, stock=20)
    make.user("pembeli@uji.example", name="Budi")
    with FakeMidtrans("SB-Mid-server-dua") as midtrans:
        env = dict(
            os.environ,
            PASAR_ENV="production",
            SECRET_KEY="the-same-secret-on-both-servers",
            PUBLIC_URL="http://127.0.0.1",  # both answer for it, whichever port
            SESSION_COOKIE_SECURE="false",
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            REDIS_URL=REDIS_DB,
            RATELIMIT_STORAGE_URI=REDIS_DB,
            LOGIN_RATE_LIMIT="4 per minute",
            MIDTRANS_SERVER_KEY=midtrans.server_key,
            MIDTRANS_API_URL=midtrans.url,
            LOG_FORMAT="json",
            MAIL_BACKEND="log",
            HSTS_SECONDS="0",
            **{k: str(v) for k, v in s3_settings(app.config["S3_ENDPOINT_URL"], bucket).items()},
        )
        ports = [_free_port(), _free_port()]
        logs = [tmp_path / f"server-{port}.log" for port in ports]
        servers = [_start(env, port, log) for port, log in zip(ports, logs, strict=True)]
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        try:
            midtrans.notify_url = f"{a}/api/v1/payments/midtrans/notification"
            buyer = requests.Session()
            # sign in on A
            form = buyer.get(f"{a}/login").text
            signed = buyer.post(
                f"{a}/login",
                data={"csrf_token": _csrf(form), "email": "pembeli@uji.example", "password": PASSWORD},
                allow_redirects=False,
            )
            assert signed.status_code == 302
            assert "Keluar" in buyer.get(f"{b}/account").text  # B knows the session (kept in the database)
            # the cart on B, the checkout on A, the order page on B
            page = buyer.get(f"{b}/p/{product.id}/{product.slug}").text
            assert (
                buyer.post(
                    f"{b}/cart/add", data={"csrf_token": _csrf(page), "product_id": product.id, "quantity": "2"}
                ).status_code
                == 200
            )
            checkout_page = buyer.get(f"{a}/checkout").text
            assert "Amplang Pipih" in checkout_page
            address = {
                "name": "Budi",
                "ship_phone": "081234500000",
                "street": "Jl. Pahlawan 5",
                "district": "Samarinda Ulu",
                "regency": "64.72",
                "postal_code": "75123",
            }
            quoted = buyer.post(
                f"{a}/checkout", data=dict(address, csrf_token=_csrf(checkout_page), action="quote")
            ).text
            total = re.search(r'name="shown_total" value="(\d+)"', quoted).group(1)
            placed = buyer.post(
                f"{a}/checkout",
                data=dict(address, csrf_token=_csrf(quoted), action="place", payment_method="qris", shown_total=total),
                allow_redirects=False,
            )
            assert placed.status_code == 302, placed.text[-2000:]
            order_url = placed.headers["Location"]
            order_url = order_url if order_url.startswith("http") else a + order_url
            on_b = order_url.replace(a, b)
            assert 'id="midtrans-pay"' in buyer.get(on_b).text
            # the buyer pays; Midtrans notifies A; B shows it paid
            (order_id,) = midtrans.transactions
            assert midtrans.pay(order_id) == 200
            assert buyer.get(on_b).text.count("Dibayar") >= 1 and 'id="midtrans-pay"' not in buyer.get(on_b).text
            # sign-in attempts: four per minute per address, counted across both servers (and their workers):
            # the buyer's sign-in on A was the first, so the fourth guess (on B, whose own count would be 2) is
            # refused
            guesser = requests.Session()
            answers = []
            for i in range(5):
                server = (a, b)[i % 2]
                html = guesser.get(f"{server}/login").text
                answers.append(
                    guesser.post(
                        f"{server}/login",
                        data={
                            "csrf_token": _csrf(html),
                            "email": "pembeli@uji.example",
                            "password": "salah-salah-salah",
                        },
                    ).status_code
                )
            assert answers == [422, 422, 422, 429, 429], answers
            # both are ready, and say so with a request id
            ready = requests.get(f"{b}/readyz", headers={"X-Request-ID": "lb-check-0001"})
            assert ready.json() == {"status": "ok"} and ready.headers["X-Request-ID"] == "lb-check-0001"
        finally:
            for proc in servers:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in servers:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        # as the app fixture does for the test's own app: neither server answered 5xx to anything
        assert not [e for log in logs for e in _server_errors(log)], [e for log in logs for e in _server_errors(log)]
