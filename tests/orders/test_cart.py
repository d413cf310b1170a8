"""A cart holding garbage (ids out of range, quantities that do not parse) stays usable."""

from tests.support.buying import two_groups


def test_a_cart_with_garbage_stays_usable(client, make):
    _s, _b, amplang, _k = two_groups(make)
    client.post("/cart/add", data={"product_id": amplang.id, "quantity": 2})
    client.post(
        "/cart/update", data={"qty-99999999999999999999": "1", f"qty-{amplang.id}": "3", "qty-x": "1", "qty-²": "1"}
    )
    with client.session_transaction() as session:
        session["cart"]["99999999999999999999"] = 1  # what an old bug could have stored
        session["cart"]["7"] = "lots"
    cart = client.get("/cart")
    assert cart.status_code == 200 and "Amplang Pipih" in cart.get_data(as_text=True)
    assert client.get("/checkout").status_code == 200
