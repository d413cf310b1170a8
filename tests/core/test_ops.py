"""Running on many machines: request ids in headers, problem documents and JSON logs;
/healthz and /readyz for load balancers; Prometheus metrics."""

import json
import logging

from app.core import ops


def test_every_answer_carries_a_request_id_and_problems_quote_it(client):
    first = client.get("/healthz")
    assert first.status_code == 200 and first.json == {"status": "ok"}
    rid = first.headers["X-Request-ID"]
    assert len(rid) == 32 and rid != client.get("/healthz").headers["X-Request-ID"]
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert given.headers["X-Request-ID"] == "lb-7f3a9c21-0001"  # the load balancer's id is kept
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert odd.headers["X-Request-ID"] != "<script>"  # an insane one is replaced
    missing = client.get("/api/v1/products/2147483647", headers={"X-Request-ID": "trace-abcdef12"})
    assert missing.status_code == 404 and missing.json["request_id"] == "trace-abcdef12"


def test_ready_names_what_is_not_reachable(app, client):
    assert client.get("/readyz").json == {"status": "ok"}
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there
    app.extensions.pop("pasar_redis", None)
    down = client.get("/readyz")
    assert down.status_code == 503 and down.json == {"status": "unavailable", "failing": ["redis"]}
    assert down.headers["Retry-After"] == "5"


def test_json_logs_carry_the_request_id_and_no_secrets(app, client, capsys):
    app.config["LOG_FORMAT"] = "json"
    ops.configure_logging(app)
    try:
        client.post(
            "/login",
            data={"email": "siapa@uji.example", "password": "rahasia-sekali-123"},
            headers={"X-Request-ID": "trace-login-0001"},
        )
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        access = [x for x in lines if x.get("logger") == "pasar.access" and x.get("request_id") == "trace-login-0001"]
        assert access and access[0]["level"] == "INFO" and "/login" in access[0]["message"]
        assert not any("rahasia-sekali-123" in json.dumps(x) for x in lines)
    finally:
        app.config["LOG_FORMAT"] = "text"
        ops.configure_logging(app)
        logging.getLogger().setLevel(logging.INFO)


def test_metrics_count_requests_by_route_and_status(app, client):
    client.get("/healthz")
    client.get("/api/v1/products/2147483647")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'pasar_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="/api/v1/products/<int:product_id>",status="404"' in text
    assert "pasar_http_request_duration_seconds_bucket" in text
    app.config["METRICS_TOKEN"] = "scrape-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token"}).status_code == 200


def test_metrics_are_closed_in_production_unless_a_token_opens_them(migrated, tmp_path):
    from app import create_app
    from app.extensions import db

    settings = {
        "PASAR_ENV": "production",
        "SECRET_KEY": "x" * 32,
        "SQLALCHEMY_DATABASE_URI": migrated,
        "MEDIA_ROOT": str(tmp_path),
        "LOG_FORMAT": "text",
        "PUBLIC_URL": "https://pasar.example",
    }
    closed = create_app(settings)
    with closed.app_context():
        answer = closed.test_client().get("/metrics", base_url="https://pasar.example")
        assert answer.status_code == 404 and b"pasar_http_requests_total" not in answer.data
        db.engine.dispose()
    scraped = create_app(dict(settings, METRICS_TOKEN="scrape-token"))
    with scraped.app_context():
        client = scraped.test_client()
        assert client.get("/metrics", base_url="https://pasar.example").status_code == 401
        assert (
            client.get(
                "/metrics", base_url="https://pasar.example", headers={"Authorization": "Bearer wrong-\u00e9"}
            ).status_code
            == 401
        )
        answer = client.get(
            "/metrics", base_url="https://pasar.example", headers={"Authorization": "Bearer scrape-token"}
        )
        assert answer.status_code == 200 and b"pasar_http_requests_total" in answer.data
        db.engine.dispose()
