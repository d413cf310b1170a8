import json

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.support.factories import PASSWORD, token

PRODUCT = {
    "name": "Abon Ikan Tuna",
    "category": "abon",
    "description": "Dari tuna Sangihe.",
    "unit": "bungkus",
    "net_weight_g": 150,
    "price_idr": 45000,
    "stock": 70,
    "min_order_qty": 1,
    "price_tiers": [{"min_qty": 20, "unit_price_idr": 41000}],
    "permits": [{"type": "pirt", "number": "271030101008030", "expires_on": "2030-01-01"}],
    "status": "active",
}


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and "detail" in body
    return body


def test_token_lifecycle(client, make):
    make.user("ibu@uji.example", name="Ibu Uji")
    issued = client.post("/api/v1/auth/token", json={"email": "ibu@uji.example", "password": PASSWORD})
    assert issued.status_code == 201
    assert issued.json["token_type"] == "Bearer" and "+00:00" in issued.json["expires_at"]
    auth = {"Authorization": f"Bearer {issued.json['token']}"}
    me = client.get("/api/v1/me", headers=auth)
    assert me.status_code == 200 and me.json["email"] == "ibu@uji.example" and me.json["roles"] == ["buyer"]
    problem(client.post("/api/v1/auth/token", json={"email": "ibu@uji.example", "password": "salah"}), 401)
    problem(client.get("/api/v1/me"), 401)
    problem(client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}), 401)
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 204
    problem(client.get("/api/v1/me", headers=auth), 401)


def test_token_tries_are_rate_limited(client, make):
    make.user("ibu@uji.example")
    codes = [
        client.post("/api/v1/auth/token", json={"email": "ibu@uji.example", "password": f"x{i}"}).status_code
        for i in range(10)
    ]
    assert codes == [401] * 10
    limited = client.post("/api/v1/auth/token", json={"email": "ibu@uji.example", "password": PASSWORD})
    problem(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0


def test_accounts(client):
    created = client.post(
        "/api/v1/accounts", json={"email": "baru@uji.example", "password": "kopi-susu-99", "name": "Ibu Baru"}
    )
    assert created.status_code == 201 and set(created.json) == {"id", "email", "name"}
    problem(
        client.post("/api/v1/accounts", json={"email": "baru@uji.example", "password": "kopi-susu-99", "name": "X"}),
        409,
    )
    weak = problem(client.post("/api/v1/accounts", json={"email": "bukan-email", "password": "123", "name": "X"}), 422)
    assert set(weak["errors"]) == {"email", "password"}


@pytest.mark.parametrize(
    "payload,content_type,status",
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"email": "a@uji.example", "password": "x", "role": "admin"}', "application/json", 422),
        (b'{"email": 5, "password": "x"}', "application/json", 422),
        (b"email=a@uji.example&password=x", "application/x-www-form-urlencoded", 415),
        (b"", "application/json", 400),
    ],
)
def test_bad_bodies_get_problem_documents(client, payload, content_type, status):
    body = problem(client.post("/api/v1/auth/token", data=payload, content_type=content_type), status)
    if payload.startswith(b'{"email": "a@'):
        assert body["errors"] == {"role": ["Unknown field."]}


def test_group_and_product_lifecycle(client, make):
    make.user("ketua@uji.example")
    auth = token(client, "ketua@uji.example")
    group = client.post(
        "/api/v1/groups",
        headers=auth,
        json={
            "name": "UPPKS Sagu Tuna",
            "province": "71",
            "regency": "71.03",
            "business_type": "industri_rumah_tangga",
            "member_count": 16,
            "whatsapp": "081340007788",
        },
    )
    assert group.status_code == 201, group.json
    slug = group.json["slug"]
    assert group.json["status"] == "pending" and group.json["regency_name"] == "Kabupaten Kepulauan Sangihe"
    problem(client.post(f"/api/v1/groups/{slug}/products", headers=auth, json=PRODUCT), 403)
    problem(client.post(f"/api/v1/groups/{slug}/verify", headers=auth), 403)
    make.admin()
    from app.groups.services import verify_group

    verify_group(make.admin(), slug)
    created = client.post(f"/api/v1/groups/{slug}/products", headers=auth, json=PRODUCT)
    assert created.status_code == 201, created.json
    item = created.json
    assert item["price_tiers"] == [{"min_qty": 20, "unit_price_idr": 41000}]
    assert item["permits"][0]["status"] == "submitted" and item["group"]["regency"] == "71.03"
    pid = item["id"]
    public = client.get(f"/api/v1/products/{pid}")
    assert public.status_code == 200 and public.json["description"] == "Dari tuna Sangihe."
    patched = client.patch(f"/api/v1/products/{pid}", headers=auth, json={"price_idr": 47000, "stock": 10})
    assert (patched.json["price_idr"], patched.json["stock"]) == (47000, 10)
    assert patched.json["price_tiers"] == [{"min_qty": 20, "unit_price_idr": 41000}]
    body = problem(client.patch(f"/api/v1/products/{pid}", headers=auth, json={"price_idr": 40000}), 422)
    assert "price_tiers" in body["errors"]  # a tier may not cost more than the new price
    problem(client.patch(f"/api/v1/products/{pid}", headers=auth, json={"price_idr": "47000"}), 422)
    problem(client.patch(f"/api/v1/products/{pid}", headers=auth, json={"stock": -1}), 422)
    problem(client.patch(f"/api/v1/products/{pid}", headers=auth, json={"stock": 10**12}), 422)
    problem(client.patch(f"/api/v1/products/{pid}", headers=auth, json={"name": None}), 422)
    bad_permit = problem(
        client.patch(
            f"/api/v1/products/{pid}", headers=auth, json={"permits": [{"type": "bpom_na", "number": "NA18201200123"}]}
        ),
        422,
    )
    assert "permits.0.type" in bad_permit["errors"]
    assert client.delete(f"/api/v1/products/{pid}", headers=auth).status_code == 204
    problem(client.get(f"/api/v1/products/{pid}"), 404)
    mine = client.get(f"/api/v1/products/{pid}", headers=auth)
    assert mine.status_code == 200 and mine.json["status"] == "archived"


def test_another_groups_things_answer_404(client, make):
    theirs = make.group(make.user("mereka@uji.example"))
    draft = make.product(theirs, status="draft")
    make.group(make.user("saya@uji.example"))
    auth = token(client, "saya@uji.example")
    problem(client.get(f"/api/v1/products/{draft.id}", headers=auth), 404)
    problem(client.patch(f"/api/v1/products/{draft.id}", headers=auth, json={"stock": 1}), 404)
    problem(client.delete(f"/api/v1/products/{draft.id}", headers=auth), 404)
    problem(client.post(f"/api/v1/groups/{theirs.slug}/products", headers=auth, json=PRODUCT), 404)
    problem(client.post(f"/api/v1/groups/{theirs.slug}/members", headers=auth, json={"email": "saya@uji.example"}), 404)


def test_catalog_queries(client, make):
    group = make.group(regency="17.71")
    for i in range(5):
        make.product(group, name=f"Keripik Pisang {i}", category="keripik", price_idr=15000 + i * 1000)
    page = client.get("/api/v1/products?q=keripik&limit=2&sort=price_asc")
    assert [p["price_idr"] for p in page.json["items"]] == [15000, 16000]
    nxt = client.get(f"/api/v1/products?q=keripik&limit=2&sort=price_asc&cursor={page.json['next_cursor']}")
    assert [p["price_idr"] for p in nxt.json["items"]] == [17000, 18000]
    assert client.get("/api/v1/products?province=17&in_stock=true").json["items"]
    for query in (
        "limit=0",
        "limit=101",
        "limit=x",
        "min_price_idr=abc",
        "in_stock=maybe",
        "sort=random",
        "permit=sni",
        "province=99",
        "cursor=!!!",
        "category=none",
    ):
        problem(client.get(f"/api/v1/products?{query}"), 422)
    cats = client.get("/api/v1/categories").json["items"]
    assert {"keripik", "amplang", "kue", "minyak-kelapa", "teh-herbal", "anyaman", "abon", "sabun"} <= {
        c["slug"] for c in cats
    }
    groups = client.get("/api/v1/groups?province=17").json
    assert [g["slug"] for g in groups["items"]] == [group.slug] and groups["next_cursor"] is None
    assert client.get(f"/api/v1/groups/{group.slug}").json["regency_name"] == "Kota Bengkulu"
    problem(client.get("/api/v1/groups/tidak-ada"), 404)


def test_regions(client):
    provinces = client.get("/api/v1/regions").json["items"]
    assert len(provinces) == 38
    assert {"code": "64", "name": "Kalimantan Timur"} in provinces
    kaltim = client.get("/api/v1/regions/64").json
    assert {"code": "64.72", "name": "Kota Samarinda"} in kaltim["regencies"]
    assert {"code": "64.71", "name": "Kota Balikpapan"} in kaltim["regencies"]
    problem(client.get("/api/v1/regions/99"), 404)


def test_unknown_paths_and_methods_are_problem_documents(client):
    problem(client.get("/api/v1/nothing-here"), 404)
    problem(client.put("/api/v1/products"), 405)


# ------------------------------------------------------------------ OpenAPI


def _validator(doc, name):
    """A JSON Schema 2020-12 validator for one of the document's components."""
    resource = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema", **doc})
    registry = Registry().with_resource("urn:openapi", resource)
    return jsonschema.Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry)


def test_openapi_describes_every_route_and_real_answers_fit(app, client, make):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    built = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1")
            for conv in ("int:",):
                path = path.replace("<" + conv, "<")
            path = path.replace("<", "{").replace(">", "}")
            built |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == built
    assert doc["x-upload-max-bytes"] == app.config["MAX_UPLOAD_BYTES"]
    upload = doc["paths"]["/products/{product_id}/photos"]["post"]
    assert str(app.config["MAX_UPLOAD_BYTES"]) in json.dumps(upload)

    group = make.group()
    product = make.product(
        group,
        permits=[{"type": "pirt", "number": "206647201002925"}],
        price_tiers=[{"min_qty": 10, "unit_price_idr": 20000}],
    )
    make.photo(product)
    _validator(doc, "ProductList").validate(client.get("/api/v1/products").json)
    _validator(doc, "ProductDetail").validate(client.get(f"/api/v1/products/{product.id}").json)
    _validator(doc, "GroupList").validate(client.get("/api/v1/groups").json)
    _validator(doc, "ProvinceOut").validate(client.get("/api/v1/regions/64").json)
    _validator(doc, "Problem").validate(client.get("/api/v1/products/999999").json)
    broken = client.get("/api/v1/products").json
    broken["items"][0]["price_idr"] = "25000"
    with pytest.raises(jsonschema.ValidationError):
        _validator(doc, "ProductList").validate(broken)
