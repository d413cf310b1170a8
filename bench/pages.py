"""Pages at national size, near the framework's floor.

Builds (or reuses, --db NAME) a PostgreSQL database of --groups groups and --products products with
words to search, starts the app and a hello-world Flask app under the same gunicorn settings, drives
each page with wrk (installed from Debian when missing, as root) and prints, per page, the median of
--runs runs: requests/s, p50 and p99 latency, and the share of hello-world's requests/s measured in the
same run; then the SQL queries one request of each page makes. Besides its fixed pages: random product
pages anonymous and signed in, a signed-in buyer with a cart (home, a search), and long tails of different
searches, listings and API searches (bench/traffic.py), each from a list a wrk lua script picks from.

    .venv/bin/python bench/pages.py [--groups 100000] [--products 1000000] [--duration 15] [--runs 3]
        [--connections 16] [--workers 2] [--db pasar_bench_pages] [--keep] [--redis redis://127.0.0.1:6379/8]
        [--only WORD]  (only the pages whose label holds WORD, and hello-world)
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import traffic  # noqa: E402

HELLO = "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef hello():\n    return 'Hello, World!'\n"
BENCH_PASSWORD = "bench-Pasar-2026!"
BUYER = "buyer@bench.example"
WORDS = [
    "keripik",
    "amplang",
    "abon",
    "kue",
    "sagu",
    "minyak",
    "kelapa",
    "teh",
    "serai",
    "sabun",
    "madu",
    "tas",
    "purun",
    "pisang",
    "singkong",
    "tuna",
    "gabus",
    "bandeng",
    "jahe",
    "kopi",
]


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
        return shutil.which("wrk") or "wrk"
    sys.exit("wrk is needed: sudo apt-get install wrk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(url: str, groups: int, products: int) -> None:
    from app import create_app
    from app.extensions import db
    from bench.dashboard import generate

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": tempfile.mkdtemp(), "PASAR_ENV": "test", "LOG_LEVEL": "WARNING"}
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        with db.engine.begin() as conn:
            generate(conn, groups, products)
            words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
            n = len(WORDS)
            conn.execute(
                sa.text(
                    f"UPDATE products SET name = initcap(({words})[1 + id % {n}]) || ' ' || "
                    f"(({words})[1 + (id / {n}) % {n}]) || ' ' || id"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO product_fts (product_id, document) SELECT p.id, setweight(to_tsvector('simple', "
                    "lower(p.name)), 'A') || setweight(to_tsvector('simple', lower(g.name)), 'B') || "
                    # the filters' words (search.tags), so a search in a province or a category finds what the app's does
                    "setweight(to_tsvector('simple', concat_ws(' ', 'zzprov' || g.province_code, 'zzreg' || "
                    "replace(g.regency_code, '.', ''), 'zzcat' || p.category_id)), 'D') FROM products p "
                    "JOIN groups g ON g.id = p.group_id"
                )
            )
            conn.execute(  # the words of the names (products' and groups'), as index_product keeps them
                sa.text("INSERT INTO search_terms (term) SELECT unnest(CAST(:w AS text[])) ON CONFLICT DO NOTHING"),
                {"w": [*WORDS, "uppks"]},
            )
            # reviews spread over the catalog, so the search's quality scores differ as a live catalog's do
            conn.execute(
                sa.text(
                    "UPDATE products SET rating_count = (id::bigint * 7919) % 25, "
                    "rating_sum = ((id::bigint * 7919) % 25) * (3 + id % 3)"
                )
            )
        with app.app_context():
            from app.catalog.search import refresh_all_scores

            refresh_all_scores()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))


def start(args: list[str], env: dict, port: int, cwd: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


def wrk(
    binary: str, url: str, duration: int, connections: int, script: str | None = None
) -> tuple[float, float, float]:
    cmd = (
        [binary, "-t2", f"-c{connections}", f"-d{duration}s", "--latency"] + (["-s", script] if script else []) + [url]
    )
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: int) -> float:
        found = re.search(rf"{p}%\s+([\d.]+)(us|ms|s)", out)
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    return rps, percentile(50), percentile(99)


def queries_per_request(url: str, paths: dict[str, str], headers: dict[str, dict], secret: str) -> dict[str, int]:
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": tempfile.mkdtemp(),
            "PASAR_ENV": "test",
            "LOG_LEVEL": "WARNING",
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": secret,  # the signed-in buyer's cookie was signed by the servers' key
        }
    )
    out = {}
    with app.app_context():
        client = app.test_client()
        for label, path in paths.items():
            client.get(path, headers=headers.get(label))  # warm
            count = [0]

            def counter(*_a, **_k):
                count[0] += 1  # noqa: B023 (read right after, in the same loop turn)

            event.listen(db.engine, "before_cursor_execute", counter)
            client.get(path, headers=headers.get(label))
            event.remove(db.engine, "before_cursor_execute", counter)
            out[label] = count[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="", help="reuse this database (built if missing), e.g. pasar_bench_pages")
    parser.add_argument("--keep", action="store_true", help="keep a database this run built")
    parser.add_argument(
        "--redis", default="", help="REDIS_URL for the app: the catalog cache on (e.g. redis://127.0.0.1:6379/8)"
    )
    parser.add_argument("--only", default="", help="only the pages whose label holds this (and hello-world)")
    args = parser.parse_args()
    binary = wrk_binary()
    name = args.db or f"pasar_bench_{os.getpid()}"
    admin = sa.create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        exists = c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = args.url.rsplit("/", 1)[0] + "/" + name
    if not exists:
        t = time.perf_counter()
        build(url, args.groups, args.products)
        print(f"built {name}: {args.groups:,} groups, {args.products:,} products in {time.perf_counter() - t:.0f} s")
    with sa.create_engine(url).connect() as c:
        first_cat = c.execute(sa.text("SELECT slug FROM categories ORDER BY id LIMIT 1")).scalar()
        product_id = c.execute(
            sa.text(
                "SELECT p.id FROM products p JOIN groups g ON g.id = p.group_id "
                "WHERE p.status = 'active' AND g.status = 'verified' ORDER BY p.id LIMIT 1"
            )
        ).scalar()
    from app import create_app
    from app.accounts import lookup, passwords, registration
    from app.catalog.browse import Filters, browse, public_product
    from app.catalog.categories import categories
    from app.core import regions

    probe = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": tempfile.mkdtemp(), "PASAR_ENV": "test", "LOG_LEVEL": "WARNING"}
    )
    with probe.app_context():
        page = browse(Filters(category=first_cat, sort="newest"), limit=24)
        for _ in range(49):
            page = browse(Filters(category=first_cat, sort="newest"), cursor=page.next_cursor, limit=24)
        cursor50 = page.next_cursor
        with sa.create_engine(url).connect() as c:
            sample = (
                c.execute(
                    sa.text(
                        "SELECT p.id FROM products p TABLESAMPLE SYSTEM (1) REPEATABLE (7) JOIN groups g ON g.id = p.group_id "
                        "WHERE p.status = 'active' AND g.status = 'verified' AND NOT p.hidden LIMIT 2000"
                    )
                )
                .scalars()
                .all()
            )
            group_names = (
                c.execute(
                    sa.text(
                        "SELECT name FROM groups TABLESAMPLE SYSTEM (5) REPEATABLE (7) "
                        "WHERE status = 'verified' ORDER BY id LIMIT 750"
                    )
                )
                .scalars()
                .all()
            )
        product_paths = [f"/p/{pid}/{public_product(pid).slug}" for pid in sample]
        if lookup.find_by_email("admin@bench.example") is None:
            registration.create_operator("admin@bench.example", "admin", BENCH_PASSWORD)
        bearer = passwords.issue_token("admin@bench.example", BENCH_PASSWORD)[0]
        if lookup.find_by_email(BUYER) is None:
            registration.register(BUYER, BENCH_PASSWORD, "Pembeli Bench")
        provinces = [p.code for p in regions.provinces()]
        category_slugs = [c.slug for c in categories()]
    script_dir = Path(tempfile.mkdtemp())
    admin_stats = script_dir / "stats.lua"
    admin_stats.write_text(f'wrk.headers["Authorization"] = "Bearer {bearer}"\n')
    searches = traffic.search_paths(WORDS, provinces, category_slugs, group_names)
    listings = traffic.listing_paths(provinces, category_slugs)
    api_searches = traffic.api_search_paths(WORDS)
    lists: dict[str, tuple[list[str], bool | str]] = {  # label -> (paths picked from, signed in | "guest")
        "product pages, 2,000 random, anonymous": (product_paths, False),
        "product pages, 2,000 random, guest with a cart (computed afresh)": (product_paths, "guest"),
        "product pages, 2,000 random, signed-in buyer": (product_paths, True),
        "home, signed-in buyer": (["/"], True),
        'search "keripik", signed-in buyer': (["/search?q=keripik"], True),
        "3,000 different searches, anonymous": (searches, False),
        "1,000 different listings (category x province x sort)": (listings, False),
        "1,000 different API searches (two words)": (api_searches, False),
    }
    scripts = {"API stats, national (admin)": str(admin_stats)}
    paths = {
        "hello-world": None,
        **{label: chosen[0] for label, (chosen, _signed_in) in lists.items()},
        "home": "/",
        "category listing, first page": f"/search?category={first_cat}",
        "category listing, page 50": f"/search?category={first_cat}&cursor={cursor50}",
        'search "keripik"': "/search?q=keripik",
        'search "kripik" (misspelt)': "/search?q=kripik",
        'search "keripik" in one province': "/search?q=keripik&province=64",
        "API product": f"/api/v1/products/{product_id}",
        "API stats, national (admin)": "/api/v1/stats",
    }
    env = dict(
        os.environ,
        PASAR_ENV="production",
        SECRET_KEY=secrets.token_hex(16),
        SESSION_COOKIE_SECURE="false",
        PUBLIC_URL="http://127.0.0.1",  # wrk asks for 127.0.0.1:<port>; the page cache keeps that host's pages
        DATABASE_URL=url,
        RATELIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=tempfile.mkdtemp(),
        REDIS_URL=args.redis,
    )
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    hello_dir = Path(tempfile.mkdtemp())
    (hello_dir / "hello.py").write_text(HELLO)
    app_port, hello_port = free_port(), free_port()
    common = ["-w", str(args.workers), "--log-level", "warning"]
    servers = [
        start([gunicorn, *common, "-b", f"127.0.0.1:{app_port}", "wsgi:app"], env, app_port, ROOT),
        start([gunicorn, *common, "-b", f"127.0.0.1:{hello_port}", "hello:app"], env, hello_port, hello_dir),
    ]
    try:
        cookie = traffic.sign_in_with_cart(f"http://127.0.0.1:{app_port}", BUYER, BENCH_PASSWORD, sample[0])
        signed_in = {"Cookie": cookie, "User-Agent": traffic.USER_AGENT}
        headers = {"API stats, national (admin)": {"Authorization": f"Bearer {bearer}"}}
        guest = {
            "Cookie": traffic.guest_with_cart(f"http://127.0.0.1:{app_port}", sample[0]),
            "User-Agent": traffic.USER_AGENT,
        }
        for label, (chosen, is_signed_in) in lists.items():
            extra = guest if is_signed_in == "guest" else signed_in if is_signed_in else {}
            scripts[label] = traffic.lua_script(script_dir / f"{len(scripts)}.lua", chosen, extra)
            headers[label] = extra
        if args.only:
            paths = {k: v for k, v in paths.items() if v is None or args.only in k}
        results: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in paths}
        for _ in range(args.runs):
            floor, floor_p50, floor_p99 = wrk(
                binary, f"http://127.0.0.1:{hello_port}/", args.duration, args.connections
            )
            results["hello-world"].append((floor, floor_p50, floor_p99, 1.0))
            for label, path in paths.items():
                if path is None:
                    continue
                rps, p50, p99 = wrk(
                    binary, f"http://127.0.0.1:{app_port}{path}", args.duration, args.connections, scripts.get(label)
                )
                results[label].append((rps, p50, p99, rps / floor))
        counts = queries_per_request(url, {k: v for k, v in paths.items() if v}, headers, env["SECRET_KEY"])
        print(
            f"\n{args.products:,} products, gunicorn -w {args.workers}, wrk -t2 -c{args.connections} "
            f"-d{args.duration}s, median of {args.runs}, catalog cache {'on' if args.redis else 'off'}\n"
        )
        print("| page | req/s | p50 | p99 | share of hello-world | queries |\n|---|---|---|---|---|---|")
        for label, rows in results.items():
            rps, p50, p99, share = (statistics.median(r[i] for r in rows) for i in range(4))
            print(
                f"| {label} | {rps:,.0f} | {p50:.1f} ms | {p99:.0f} ms | {share * 100:.1f} % | {counts.get(label, '')} |"
            )
    finally:
        for proc in servers:
            os.killpg(proc.pid, signal.SIGTERM)
        if not args.db and not args.keep:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
