"""The officers' dashboard at national size on PostgreSQL: 100,000 groups, 1,000,000 products,
100,000 permits, 50,000 orders, partnerships. Prints the time of the national, a province's and a
kabupaten's numbers (officers.stats.stats, as GET /api/v1/stats), and checks them against plain
SQL counts written separately here.

    .venv/bin/python bench/dashboard.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--groups 100000]
        [--products 1000000] [--runs 5] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from app import create_app
from app.accounts.scope import Area
from app.core import regions
from app.extensions import db
from app.officers.stats import stats

SALE = "('paid','invoiced','processing','shipped','delivered','completed')"


def generate(conn, n_groups: int, n_products: int) -> None:
    codes = [r.code for p in regions.provinces() for r in p.regencies]
    arr = "ARRAY[" + ",".join(f"'{c}'" for c in codes) + "]"
    n = len(codes)
    t = time.perf_counter()
    conn.execute(
        sa.text(
            "INSERT INTO users (email, password_hash, name, role, created_at) "
            "VALUES ('bench@bench.example', 'x', 'Bench', 'user', now())"
        )
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO groups (slug, name, province_code, regency_code, business_type, member_count, status, group_class, created_at)
        SELECT 'g-' || i, 'UPPKS ' || i, split_part(({arr})[1 + i % {n}], '.', 1), ({arr})[1 + i % {n}],
               (ARRAY['industri_rumah_tangga','pertanian','jasa','peternakan','lainnya'])[1 + i % 5],
               5 + i % 40, CASE WHEN i % 10 = 0 THEN 'pending' WHEN i % 97 = 0 THEN 'rejected' ELSE 'verified' END,
               'mikro', now() - (i % 1000) * interval '1 day'
        FROM generate_series(1, {n_groups}) i""")
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO products (group_id, category_id, slug, name, description, unit, net_weight_g, price_idr, stock,
                              min_order_qty, status, hidden, rating_count, rating_sum, created_at, updated_at)
        SELECT 1 + i % {n_groups}, 1 + i % 8, 'p-' || i, 'Produk ' || i, '', 'bungkus', 200, 5000 + (i % 100) * 500,
               i % 50, 1, CASE WHEN i % 20 = 0 THEN 'draft' ELSE 'active' END, false, 0, 0, now(), now()
        FROM generate_series(1, {n_products}) i""")
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO permits (product_id, type, number, status, expires_on, created_at)
        SELECT i * 10, 'pirt', lpad(i::text, 15, '0'),
               CASE WHEN i % 3 = 0 THEN 'submitted' ELSE 'verified' END,
               CASE WHEN i % 7 = 0 THEN current_date - 5 ELSE current_date + 300 END, now()
        FROM generate_series(1, {n_products // 10}) i""")
    )
    conn.execute(
        sa.text(
            "UPDATE products SET permit_valid_until = v.until FROM (SELECT product_id, "
            "max(coalesce(expires_on, DATE '9999-12-31')) AS until FROM permits WHERE status = 'verified' "
            "GROUP BY product_id) v WHERE v.product_id = products.id"
        )
    )
    n_orders = 50_000
    conn.execute(
        sa.text("""
        INSERT INTO organisations (name, type, province_code, regency_code, status, payment_terms_days, created_at)
        SELECT 'Hotel ' || i, 'hotel', '64', '64.72', 'verified', 30, now() FROM generate_series(1, 1000) i""")
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO checkouts (email, phone, access_key, ship_name, ship_phone, ship_street, ship_district,
                               ship_regency_code, ship_province_code, ship_postal_code, payment_method, status,
                               goods_idr, shipping_idr, total_idr, expires_at, created_at)
        SELECT 'b@x.example', '+62812', 'k' || i, 'B', '+62812', 'Jl', 'D', '64.72', '64', '75123', 'bank_transfer',
               'paid', 100000, 10000, 110000, now(), now() - (i % 365) * interval '1 day'
        FROM generate_series(1, {n_orders}) i""")
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO orders (checkout_id, group_id, organisation_id, status, shipping_method, weight_g, goods_idr,
                            shipping_idr, total_idr, created_at, updated_at)
        SELECT i, 1 + (i * 7) % {n_groups}, CASE WHEN i % 4 = 0 THEN 1 + i % 1000 END,
               (ARRAY['paid','processing','completed','completed','cancelled','pending_payment'])[1 + i % 6],
               'courier', 200, 100000 + i % 1000, 10000, 110000 + i % 1000,
               now() - (i % 365) * interval '1 day', now()
        FROM generate_series(1, {n_orders}) i""")
    )
    conn.execute(
        sa.text(f"""
        INSERT INTO partnerships (group_id, organisation_id, created_at)
        SELECT 1 + (i * 13) % {n_groups}, 1 + i % 1000, now() FROM generate_series(1, 5000) i
        ON CONFLICT DO NOTHING""")
    )
    print(f"generated in {time.perf_counter() - t:.0f} s")


def direct(conn, where: str) -> dict:
    """Plain SQL, written apart from the service, for the same definitions."""
    g = conn.execute(
        sa.text(
            f"SELECT count(*), count(*) FILTER (WHERE g.status = 'verified'), coalesce(sum(g.member_count), 0) "
            f"FROM groups g WHERE g.status <> 'rejected' AND {where}"
        )
    ).one()
    p = conn.execute(
        sa.text(
            f"SELECT count(*) FROM products p JOIN groups g ON g.id = p.group_id "
            f"WHERE p.status = 'active' AND g.status <> 'rejected' AND {where}"
        )
    ).scalar()
    pp = conn.execute(
        sa.text(
            f"SELECT count(DISTINCT p.id) FROM products p JOIN groups g ON g.id = p.group_id "
            f"JOIN permits pe ON pe.product_id = p.id WHERE p.status = 'active' AND g.status <> 'rejected' "
            f"AND pe.status = 'verified' AND (pe.expires_on IS NULL OR pe.expires_on >= current_date) AND {where}"
        )
    ).scalar()
    o = conn.execute(
        sa.text(
            f"SELECT count(*), coalesce(sum(o.goods_idr), 0) FROM orders o JOIN groups g ON g.id = o.group_id "
            f"WHERE o.status IN {SALE} AND g.status <> 'rejected' AND {where}"
        )
    ).one()
    return {
        "groups": g[0],
        "verified_groups": g[1],
        "members": int(g[2]),
        "products": p,
        "products_with_permit": pp,
        "orders": o[0],
        "sales_idr": int(o[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    name = f"pasar_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = args.url.rsplit("/", 1)[0] + "/" + name
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": tempfile.mkdtemp(), "PASAR_ENV": "test"})
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            with db.engine.begin() as conn:
                generate(conn, args.groups, args.products)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))  # what autovacuum does on a live database
            for label, area, where in (
                ("national", Area(), "true"),
                ("Kalimantan Timur (64)", Area("64"), "g.province_code = '64'"),
                ("Kota Samarinda (64.72)", Area("64", "64.72"), "g.regency_code = '64.72'"),
            ):
                times = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    data = stats(area)
                    times.append(time.perf_counter() - t)
                    db.session.rollback()
                with db.engine.connect() as conn:
                    expected = direct(conn, where)
                same = all(data[k] == v for k, v in expected.items())
                print(
                    f"{label:26} median {statistics.median(times) * 1000:6.0f} ms  max {max(times) * 1000:6.0f} ms  "
                    f"groups {data['groups']:,} products {data['products']:,} with permit {data['products_with_permit']:,} "
                    f"orders {data['orders']:,} partnerships {data['partnerships']:,}  equal to direct counts: {same}"
                )
                if not same:
                    print("   service:", {k: data[k] for k in expected}, "\n   direct: ", expected)
            db.session.remove()
            db.engine.dispose()
    finally:
        if not args.keep:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
