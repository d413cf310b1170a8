"""Single searches of every shape, in-process, on a database bench/pages.py built: p50 and p95 per shape,
of the search itself (catalog.browse.browse, as the search page asks it) and of the whole page and the
API's answer (the app's test client, no page cache), each query seen for the first time.

    .venv/bin/python bench/search_shapes.py --db pasar_bench_pages [--n 40]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench.pages import WORDS
from bench.traffic import _misspell


def shapes(rng: random.Random, provinces: list[str], cats: list[str], groups: list[str]) -> dict:
    return {
        "one word": lambda: {"q": rng.choice(WORDS)},
        "two words": lambda: {"q": " ".join(rng.sample(WORDS, 2))},
        "three words": lambda: {"q": " ".join(rng.sample(WORDS, 3))},
        "a word in a province": lambda: {"q": rng.choice(WORDS), "province": rng.choice(provinces)},
        "a word in a category": lambda: {"q": rng.choice(WORDS), "category": rng.choice(cats)},
        "a misspelling in a category": lambda: {"q": _misspell(rng, rng.choice(WORDS)), "category": rng.choice(cats)},
        "a misspelling in a province": lambda: {
            "q": _misspell(rng, rng.choice(WORDS)),
            "province": rng.choice(provinces),
        },
        "a group's name": lambda: {"q": rng.choice(groups)},
    }


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--db", default="pasar_bench_pages")
    parser.add_argument("--n", type=int, default=40, help="searches of each shape")
    args = parser.parse_args()
    url = args.url.rsplit("/", 1)[0] + "/" + args.db
    from app import create_app
    from app.catalog.browse import Filters, browse
    from app.catalog.categories import categories
    from app.core import regions

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": tempfile.mkdtemp(),
            "PASAR_ENV": "test",
            "LOG_LEVEL": "WARNING",
            "RATELIMIT_ENABLED": False,
            "REDIS_URL": "",
        }
    )
    with app.app_context(), sa.create_engine(url).connect() as c:
        groups = c.execute(
            sa.text("SELECT name FROM groups TABLESAMPLE SYSTEM (5) REPEATABLE (9) WHERE status = 'verified' LIMIT 500")
        ).scalars()
        made = shapes(
            random.Random(95), [p.code for p in regions.provinces()], [x.slug for x in categories()], list(groups)
        )
        client = app.test_client()
        client.get("/search?q=teh")  # warm
        print(f"{args.db}: {args.n} different searches of each shape, ms\n")
        print(
            "| shape | search p50 | search p95 | page p50 | page p95 | API p50 | API p95 |\n|---|---|---|---|---|---|---|"
        )
        for label, make in made.items():
            times: dict[str, list[float]] = {"search": [], "page": [], "api": []}
            for _ in range(args.n):
                params = make()
                t = time.perf_counter()
                browse(Filters(**params), limit=24, cards=True)
                times["search"].append((time.perf_counter() - t) * 1000)
                from app.extensions import db

                db.session.remove()
                query = urllib.parse.urlencode(params)
                for kind, path in (("page", "/search?"), ("api", "/api/v1/products?")):
                    t = time.perf_counter()
                    assert client.get(path + query).status_code == 200
                    times[kind].append((time.perf_counter() - t) * 1000)
            cells = " | ".join(f"{statistics.median(v):.1f} | {p95(v):.1f}" for v in times.values())
            print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
