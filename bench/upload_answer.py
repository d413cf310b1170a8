"""Upload answer time: a member sends a 12-megapixel phone photo (POST /products/<id>/photos, the whole
request through the app), with jobs inline (the variants made inside the request, as when there was no queue)
and with the job queue on Redis (the upload checked from its header and stored; a worker makes the
variants). Medians of repeated runs, SQLite and the local folder.

    .venv/bin/python bench/upload_answer.py [--runs 9] [--redis redis://127.0.0.1:6379/12]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.extensions import db
from bench.upload import smooth_photo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    raw = smooth_photo()
    print(f"photo: 4000x3000 JPEG, {len(raw) / 1e6:.1f} MB; {args.runs} uploads each")
    for label, redis_url in (("inline (before)", ""), ("queued (after)", args.redis)):
        times = measure(raw, redis_url, args.runs)
        print(
            f"  {label:16} answer: median {statistics.median(times) * 1000:.0f} ms, "
            f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )


def measure(raw: bytes, redis_url: str, runs: int) -> list[float]:
    from flask_migrate import upgrade

    from app.accounts import registration
    from app.catalog.products import create_product
    from app.groups import services as groups

    tmp = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "PASAR_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.db'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "REDIS_URL": redis_url,
            "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        if redis_url:
            from app.core.redis_conn import connection

            connection().flushdb()
        chair = registration.register("ketua@bench.example", "kata-sandi-panjang-2026", "Ibu")
        admin = registration.create_operator("admin@bench.example", "admin", "kata-sandi-panjang-2026", None, None)
        group = groups.register_group(
            chair,
            {"name": "UPPKS Bench", "regency": "64.72", "business_type": "industri_rumah_tangga", "member_count": 10},
        )
        groups.verify_group(admin, group.slug)
        product = create_product(
            chair,
            group.slug,
            {
                "name": "Amplang",
                "category": "amplang",
                "unit": "bungkus",
                "net_weight_g": 200,
                "price_idr": 25000,
                "stock": 10,
                "status": "active",
            },
        )
        client = app.test_client()
        client.post("/login", data={"email": "ketua@bench.example", "password": "kata-sandi-panjang-2026"})
        times = []
        for i in range(runs):
            if i % 7 == 6:  # at most 8 photos per product: start a new one
                product = create_product(
                    chair,
                    group.slug,
                    {
                        "name": f"Amplang {i}",
                        "category": "amplang",
                        "unit": "bungkus",
                        "net_weight_g": 200,
                        "price_idr": 25000,
                        "stock": 10,
                        "status": "active",
                    },
                )
            started = time.perf_counter()
            answer = client.post(
                f"/products/{product.id}/photos",
                data={"file": (io.BytesIO(raw), "foto.jpg")},
                content_type="multipart/form-data",
            )
            times.append(time.perf_counter() - started)
            assert answer.status_code == 302, answer.status_code
        if redis_url:
            from app.core.redis_conn import connection

            connection().flushdb()
        db.session.remove()
    return times


if __name__ == "__main__":
    main()
