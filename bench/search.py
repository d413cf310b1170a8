"""Search times on the demo data and on a generated catalog (100,000 products by default).

    .venv/bin/python bench/search.py --db sqlite
    .venv/bin/python bench/search.py --db postgresql [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
    options: --products N (default 100000), --runs N (default 15), --keep (do not drop the PostgreSQL database)

Each query goes through catalog.browse.browse, as the search page and GET /api/v1/products do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from app import create_app
from app.catalog.browse import Filters, browse
from app.catalog.categories import categories
from app.core.text import fold
from app.extensions import db

QUERIES = [
    ("amplang", {}),
    ("keripik pisang", {}),
    ("kripik", {}),  # misspelt: corrected through the vocabulary
    ("abon tuna pedas", {}),
    ("sabun madu", {"province": "63"}),
    ("teh", {"sort": "price_asc"}),
    ("", {"sort": "newest"}),
    ("", {"category": "keripik", "province": "17", "sort": "price_asc"}),
    ("", {"permit": "any"}),
]

WORDS = {
    "keripik": ["Keripik", ["Pisang", "Singkong", "Ubi Ungu", "Tempe", "Sukun", "Jamur", "Talas", "Nangka"]],
    "amplang": ["Amplang", ["Ikan Pipih", "Tenggiri", "Udang", "Belida", "Kuku Macan", "Pedas"]],
    "kue": ["Kue", ["Sagu", "Bagea", "Cincin", "Lapis", "Bay Tat", "Kering Nanas"]],
    "minyak-kelapa": ["Minyak Kelapa", ["Tradisional", "Murni", "VCO", "Kampung"]],
    "teh-herbal": ["Teh", ["Serai", "Jahe Merah", "Daun Kelor", "Rosela", "Kayu Manis"]],
    "anyaman": ["Anyaman", ["Purun", "Bambu", "Lontar", "Rotan", "Eceng Gondok"]],
    "abon": ["Abon", ["Ikan Tuna", "Tongkol", "Sapi", "Ayam", "Tuna Pedas"]],
    "sabun": ["Sabun", ["Madu", "Propolis", "Serai", "Arang", "Kopi"]],
}
ADJ = ["Original", "Pedas", "Manis", "Gurih", "Spesial", "Istimewa", "Khas", "Premium", "Mini", "Jumbo"]


def generate(n_products: int) -> None:
    """Bulk rows straight into the tables (the services would take hours at this size)."""
    from app.core import regions

    rng = random.Random(7)
    regs = [r for p in regions.provinces() for r in p.regencies]
    cats = {c.slug: c for c in categories()}
    conn = db.session.connection()
    n_groups = max(1, n_products // 20)
    now = sa.func.now() if conn.dialect.name == "postgresql" else sa.text("CURRENT_TIMESTAMP")
    conn.execute(
        sa.text(
            "INSERT INTO users (email, password_hash, name, role, created_at, session_version) "
            "VALUES ('bench@bench.example', 'x', 'Bench', 'user', CURRENT_TIMESTAMP, 1)"
        )
    )
    groups = []
    for i in range(n_groups):
        r = rng.choice(regs)
        groups.append(
            {
                "slug": f"uppks-bench-{i}",
                "name": f"UPPKS {rng.choice(['Mawar', 'Melati', 'Kenanga', 'Anggrek', 'Sejahtera'])} {i}",
                "province_code": r.province_code,
                "regency_code": r.code,
                "business_type": "industri_rumah_tangga",
                "member_count": rng.randint(8, 40),
                "status": "verified",
                "group_class": "mikro",
            }
        )
    table = db.metadata.tables["groups"]
    for start in range(0, len(groups), 5000):
        conn.execute(table.insert().values(created_at=now), groups[start : start + 5000])
    group_rows = conn.execute(sa.text("SELECT id, name, regency_code FROM groups")).all()
    products = db.metadata.tables["products"]
    batch, docs = [], []
    first_id = (conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM products")).scalar() or 0) + 1
    for i in range(n_products):
        slug = rng.choice(list(WORDS))
        head, kinds = WORDS[slug]
        name = f"{head} {rng.choice(kinds)} {rng.choice(ADJ)}"
        gid, gname, greg = rng.choice(group_rows)
        desc = f"{name} buatan {gname}. {rng.choice(['Renyah', 'Lezat', 'Tanpa pengawet', 'Oleh-oleh khas daerah'])}."
        batch.append(
            {
                "id": first_id + i,
                "group_id": gid,
                "category_id": cats[slug].id,
                "slug": f"p-{i}",
                "name": name,
                "description": desc,
                "unit": "bungkus",
                "net_weight_g": 200,
                "price_idr": rng.randrange(5000, 200000, 500),
                "stock": rng.randint(0, 300),
                "min_order_qty": 1,
                "status": "active",
            }
        )
        c = cats[slug]
        docs.append(
            {
                "id": first_id + i,
                "name": fold(name),
                "body": " ".join(
                    fold(x)
                    for x in (desc, c.name_id, c.name_en, slug.replace("-", " "), gname, regions.regency_name(greg))
                ),
            }
        )
        if len(batch) == 5000 or i == n_products - 1:
            conn.execute(products.insert().values(created_at=now, updated_at=now), batch)
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text(
                        "INSERT INTO product_fts (product_id, document) VALUES (:id, "
                        "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :body), 'B'))"
                    ),
                    docs,
                )
            else:
                conn.execute(sa.text("INSERT INTO product_fts (rowid, name, body) VALUES (:id, :name, :body)"), docs)
            batch, docs = [], []
    # a verified permit on about one product in ten
    conn.execute(
        sa.text(
            "INSERT INTO permits (product_id, type, number, status, created_at) "
            "SELECT id, 'pirt', '2066472010' || CAST(id AS TEXT), 'verified', CURRENT_TIMESTAMP FROM products WHERE id % 10 = 0"
        )
    )
    terms = sorted(
        {w for _head, kinds in WORDS.values() for w in fold(" ".join([_head, *kinds, *ADJ])).split()}
        | {"buatan", "uppks", "renyah", "lezat", "tanpa", "pengawet", "oleh", "khas", "daerah"}
    )
    ins = sa.dialects.postgresql.insert if conn.dialect.name == "postgresql" else sa.dialects.sqlite.insert
    conn.execute(
        ins(db.metadata.tables["search_terms"]).on_conflict_do_nothing(), [{"term": t} for t in terms if len(t) >= 3]
    )
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ANALYZE"))
    db.session.commit()


def time_queries(runs: int) -> None:
    for q, extra in QUERIES:
        f = Filters(q=q, **extra)
        times, page = [], None
        for _ in range(runs):
            started = time.perf_counter()
            page = browse(f, limit=24)
            times.append(time.perf_counter() - started)
            db.session.rollback()
        times.sort()
        label = (f'"{q}"' if q else "(browse)") + (f" {extra}" if extra else "")
        print(
            f"  {label:58} median {statistics.median(times) * 1000:7.1f} ms   p90 {times[int(len(times) * 0.9) - 1] * 1000:7.1f} ms"
            f"   hits on page {len(page.items):2}{'  corrected: ' + page.corrected_q if page.corrected_q else ''}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp())
    admin, name = None, None
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    else:
        name = f"pasar_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = args.url.rsplit("/", 1)[0] + "/" + name
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": str(tmp / "media"),
            "PASAR_ENV": "test",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            started = time.perf_counter()
            result = app.test_cli_runner().invoke(args=["demo", "seed", "--no-photos"])
            assert result.exit_code == 0, result.output
            n = db.session.scalar(sa.text("SELECT COUNT(*) FROM products"))
            print(f"{args.db}: demo data ({n} products), {args.runs} runs per query")
            time_queries(args.runs)
            started = time.perf_counter()
            generate(args.products)
            n = db.session.scalar(sa.text("SELECT COUNT(*) FROM products"))
            print(f"{args.db}: generated catalog ({n} products, made in {time.perf_counter() - started:.0f} s)")
            time_queries(args.runs)
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None and not args.keep:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
