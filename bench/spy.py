"""Where a worker spends its time under load: py-spy samples one gunicorn worker while wrk drives the
app with one kind of traffic, then prints the share of samples in each of the app's own functions
(inclusive) and in each function anywhere (exclusive), on a database bench/pages.py built.

    .venv/bin/python bench/spy.py --db pasar_bench_fast [--traffic product-signed-in] [--duration 20]
        [--redis redis://127.0.0.1:6379/14]

Traffic: product-signed-in (2,000 random product pages, the bench buyer signed in with a cart),
home-signed-in, searches (3,000 different searches, anonymous), api-searches (1,000 different).
py-spy needs ptrace (root, or kernel.yama.ptrace_scope 0).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import traffic  # noqa: E402
from bench.pages import BENCH_PASSWORD, BUYER, WORDS, free_port, start, wrk_binary  # noqa: E402


def paths_for(kind: str, url: str) -> tuple[list[str], bool, int]:
    """The paths wrk picks from, whether the buyer is signed in, and the product in her cart."""
    with sa.create_engine(url).connect() as c:
        products = c.execute(
            sa.text(
                "SELECT p.id, p.slug FROM products p TABLESAMPLE SYSTEM (1) REPEATABLE (7) JOIN groups g ON g.id = p.group_id "
                "WHERE p.status = 'active' AND g.status = 'verified' AND NOT p.hidden LIMIT 2000"
            )
        ).all()
        groups = c.execute(sa.text("SELECT name FROM groups WHERE status = 'verified' ORDER BY id LIMIT 750")).scalars()
        provinces = sorted({r[0] for r in c.execute(sa.text("SELECT DISTINCT province_code FROM groups"))})
        cats = list(c.execute(sa.text("SELECT slug FROM categories")).scalars())
        group_names = list(groups)
    cart = products[0][0]
    if kind == "product-signed-in":
        return [f"/p/{pid}/{slug}" for pid, slug in products], True, cart
    if kind == "home-signed-in":
        return ["/"], True, cart
    if kind == "searches":
        return traffic.search_paths(WORDS, provinces, cats, group_names), False, cart
    if kind == "api-searches":
        return traffic.api_search_paths(WORDS), False, cart
    raise SystemExit(f"unknown traffic {kind}")


def _ours(frame: str) -> bool:
    """A frame of the app's code or templates (py-spy names them relative to the worker's directory)."""
    return "(app/" in frame or "(templates/" in frame


def summarise(raw: Path, top: int) -> None:
    """py-spy's raw output: one line per distinct stack, frames separated by ';', then its sample count.
    Frames are counted without their line numbers; the database's share is the samples inside psycopg,
    each charged to the innermost of the app's functions that asked."""
    inclusive: collections.Counter[str] = collections.Counter()
    exclusive: collections.Counter[str] = collections.Counter()
    database: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _sep, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        exclusive[frames[-1]] += n
        for frame in set(frames):
            if _ours(frame):
                inclusive[frame] += n
        if "psycopg/" in frames[-1] or any("psycopg/" in f for f in frames[-4:]):
            asker = next((f for f in reversed(frames) if _ours(f)), "(outside the app)")
            database[asker] += n
    for title, counter in (
        ("the app's functions (inclusive)", inclusive),
        ("waiting on PostgreSQL, by the app's function that asked", database),
        ("any function (exclusive)", exclusive),
    ):
        print(f"\n| {title} | share of {total} samples |\n|---|---|")
        for frame, n in counter.most_common(top):
            print(f"| {frame} | {n / total * 100:.1f} % |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--db", default="pasar_bench_pages")
    parser.add_argument("--traffic", default="product-signed-in")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", default="")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    url = args.url.rsplit("/", 1)[0] + "/" + args.db
    chosen, signed_in, cart = paths_for(args.traffic, url)
    env = dict(
        os.environ,
        PASAR_ENV="production",
        SECRET_KEY=secrets.token_hex(16),
        SESSION_COOKIE_SECURE="false",
        PUBLIC_URL="http://127.0.0.1",
        DATABASE_URL=url,
        RATELIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=tempfile.mkdtemp(),
        REDIS_URL=args.redis,
        PAGE_CACHE="false",  # every request computed: where the time goes when nothing is kept
    )
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = start(
        [gunicorn, "-w", "2", "--log-level", "warning", "-b", f"127.0.0.1:{port}", "wsgi:app"], env, port, ROOT
    )
    out = Path(tempfile.mkdtemp())
    try:
        headers = {}
        if signed_in:
            cookie = traffic.sign_in_with_cart(f"http://127.0.0.1:{port}", BUYER, BENCH_PASSWORD, cart)
            headers = {"Cookie": cookie, "User-Agent": traffic.USER_AGENT}
        script = traffic.lua_script(out / "traffic.lua", chosen, headers)
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        load = subprocess.Popen(
            [
                wrk_binary(),
                "-t2",
                f"-c{args.connections}",
                f"-d{args.duration + 4}s",
                "-s",
                script,
                f"http://127.0.0.1:{port}/",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        raw = out / "raw.txt"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                workers[0],
                "--duration",
                str(args.duration),
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                str(raw),
                "--nonblocking",
            ],
            check=True,
            capture_output=True,
        )
        print(load.communicate()[0])
        summarise(raw, args.top)
    finally:
        os.killpg(server.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()
