"""Time of one checkout (two groups, two lines, bank transfer): stock reserved, orders and payment
written, through orders.checkout.place_checkout as the page and the API call it.

    .venv/bin/python bench/checkout.py --db sqlite
    .venv/bin/python bench/checkout.py --db postgresql [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
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
from app.extensions import db
from app.orders import checkout as checkouts

ADDRESS = {
    "name": "Budi",
    "phone": "081234500000",
    "street": "Jl. Pahlawan 5",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "province": "64",
    "postal_code": "75123",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    admin = name = None
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    else:
        name = f"pasar_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = args.url.rsplit("/", 1)[0] + "/" + name
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": str(tmp / "media"), "PASAR_ENV": "test"})
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            result = app.test_cli_runner().invoke(args=["demo", "seed", "--no-photos"])
            assert result.exit_code == 0, result.output
            from app.catalog.models import Product

            products = db.session.scalars(sa.select(Product).where(Product.category.has(slug="amplang"))).all()
            a = next(p for p in products if p.group.regency_code == "64.72")
            b = next(
                p
                for p in db.session.scalars(sa.select(Product))
                if p.group.regency_code == "17.71" and p.min_order_qty == 1
            )
            db.session.execute(sa.update(Product).values(stock=1_000_000))
            db.session.commit()
            items = [(a.id, 2), (b.id, 3)]
            times = []
            with app.test_request_context():
                for i in range(args.runs):
                    req = checkouts.CheckoutRequest(
                        items=items,
                        shipping_address=ADDRESS,
                        payment_method="bank_transfer",
                        email=f"b{i}@bench.example",
                        phone="081234500000",
                    )
                    started = time.perf_counter()
                    checkouts.place_checkout(None, req)
                    times.append(time.perf_counter() - started)
                    db.session.remove()
            times.sort()
            print(
                f"{args.db}: one checkout (2 groups, 2 lines), {args.runs} runs: median {statistics.median(times) * 1000:.1f} ms,"
                f" p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms, min {times[0] * 1000:.1f} ms"
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
