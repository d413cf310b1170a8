"""Pages with personal data are never stored by a browser or a shared cache; production tells browsers to
come back over HTTPS only (HSTS)."""

from app import create_app
from app.extensions import db
from tests.support.buying import checkout_with_proof
from tests.support.factories import login


def test_pages_with_personal_data_are_not_stored(app, client, make):
    checkout, _amplang = checkout_with_proof(client, make)
    assert client.get(f"/checkout/{checkout.access_key}").headers["Cache-Control"] == "private, no-store"
    assert client.get("/cart").headers["Cache-Control"] == "private, no-store"
    buyer = app.test_client()
    login(buyer, "pembeli@uji.example")
    for path in ("/orders", "/account", "/"):
        assert buyer.get(path).headers.get("Cache-Control") == "private, no-store", path
    assert "no-store" not in (app.test_client().get("/").headers.get("Cache-Control") or "")
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_production_sends_hsts(migrated, tmp_path):
    prod = create_app(
        {
            "PASAR_ENV": "production",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": migrated,
            "MEDIA_ROOT": str(tmp_path),
            "PUBLIC_URL": "https://pasar.example",
        }
    )
    with prod.app_context():
        answer = prod.test_client().get("/", base_url="https://pasar.example")
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        db.engine.dispose()
