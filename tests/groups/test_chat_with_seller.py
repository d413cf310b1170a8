"""Chat with the seller: the product page and the buyer's order page carry a wa.me link to the group with a
message naming the product or the order, where the group has a WhatsApp number and shows it (the chair
decides, on the group's page)."""

from __future__ import annotations

from urllib.parse import quote

from app.extensions import db
from app.groups.models import Membership
from app.orders.models import Checkout
from tests.support.buying import checkout_body
from tests.support.factories import login, token


def shop(client, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair, name="UPPKS Mawar", whatsapp="0812 3456 7890")
    amplang = make.product(group, name="Amplang Pipih")
    make.user("pembeli@uji.example")
    placed = client.post(
        "/api/v1/checkouts", headers=token(client, "pembeli@uji.example"), json=checkout_body([(amplang.id, 2)])
    )
    checkout = db.session.get(Checkout, placed.json["id"])
    return group, amplang, checkout


def page(client, path: str) -> str:
    return client.get(path, follow_redirects=True).get_data(as_text=True)


def test_product_and_order_pages_link_to_the_group_on_whatsapp_with_the_message_written_in(client, make):
    _group, amplang, checkout = shop(client, make)
    number = checkout.orders[0].number

    product_page = page(client, f"/p/{amplang.id}")
    text = quote("Halo UPPKS Mawar, saya ingin bertanya tentang Amplang Pipih di Pasar UPPKS.", safe="")
    assert f'href="https://wa.me/6281234567890?text={text}"' in product_page
    order_page = page(client, f"/checkout/{checkout.access_key}")
    text = quote(f"Halo UPPKS Mawar, saya ingin bertanya tentang pesanan {number} di Pasar UPPKS.", safe="")
    assert f'href="https://wa.me/6281234567890?text={text}"' in order_page
    # in English for a buyer who reads English
    english = page(client, f"/p/{amplang.id}?lang=en")
    assert "https://wa.me/6281234567890?text=" + quote("Hello UPPKS Mawar,", safe="") in english


def test_the_chair_hides_the_link_and_only_the_chair_may(client, make):
    group, amplang, checkout = shop(client, make)
    secretary = make.user("sekretaris@uji.example")
    db.session.add(Membership(group_id=group.id, user_id=secretary.id, role="secretary"))
    db.session.commit()

    login(client, "sekretaris@uji.example")
    assert client.post(f"/groups/{group.slug}/whatsapp", data={"whatsapp": "081234567890"}).status_code == 403
    assert 'id="whatsapp"' not in client.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    client.post("/logout")

    login(client, "ketua@uji.example")
    manage = client.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert 'name="whatsapp_shown" value="1" checked' in manage
    hidden = client.post(f"/groups/{group.slug}/whatsapp", data={"whatsapp": "0812 3456 7890"})  # the box unticked
    assert hidden.status_code == 302
    client.post("/logout")
    for path in (f"/p/{amplang.id}", f"/checkout/{checkout.access_key}", f"/g/{group.slug}"):
        assert "wa.me/" not in page(client, path), path

    login(client, "ketua@uji.example")
    client.post(f"/groups/{group.slug}/whatsapp", data={"whatsapp": "0813 9999 0000", "whatsapp_shown": "1"})
    client.post("/logout")
    assert "https://wa.me/6281399990000?text=" in page(client, f"/p/{amplang.id}")
    wrong = make.user("lain@uji.example")  # noqa: F841  (someone outside the group: the group is not hers)
    login(client, "lain@uji.example")
    assert client.post(f"/groups/{group.slug}/whatsapp", data={"whatsapp": "0812"}).status_code == 404


def test_a_buyer_on_a_phone_opens_whatsapp_from_the_product_and_her_order(backend, app, make, live_server, browser):
    """At 360 px, without script: the button is a big target that leads to wa.me with the message written in."""
    from tests.support import ARTIFACTS

    client = app.test_client()
    _group, amplang, checkout = shop(client, make)
    page = browser.new_page(viewport={"width": 360, "height": 780}, java_script_enabled=False)
    page.goto(f"{live_server}/p/{amplang.id}")
    button = page.locator("#chat-seller")
    assert button.get_attribute("href").startswith("https://wa.me/6281234567890?text=Halo%20UPPKS%20Mawar")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    page.screenshot(path=str(ARTIFACTS / "chat-seller-product-360.png"), full_page=True)
    page.goto(f"{live_server}/checkout/{checkout.access_key}")
    order = page.locator(f"#chat-{checkout.orders[0].id}")
    assert checkout.orders[0].number in order.get_attribute("href")
    assert order.bounding_box()["x"] + order.bounding_box()["width"] <= 360
    page.screenshot(path=str(ARTIFACTS / "chat-seller-order-360.png"), full_page=True)
