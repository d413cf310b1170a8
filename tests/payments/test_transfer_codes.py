"""Every bank transfer has its own code: the buyer is told to write it in the transfer's description, the
group reads it in its bank app and finds the transfer by it, even when two orders cost the same."""

import re

from app.extensions import db
from app.orders.models import Checkout
from app.payments import transfer_codes
from app.payments.models import Payment
from tests.support.buying import checkout_body, two_groups
from tests.support.factories import login, token

CODE = re.compile(r"^[CDFGHJKMNPQRTVWXY34679]{6}$")


def _own_account(group, bank: str, number: str) -> None:
    group.payout_bank, group.payout_account_number, group.payout_account_name = bank, number, group.name
    db.session.commit()


def _buy(client, email: str, items, make) -> tuple[Checkout, Payment]:
    make.user(email)
    placed = client.post("/api/v1/checkouts", headers=token(client, email), json=checkout_body(items))
    assert placed.status_code == 201, placed.json
    checkout = db.session.get(Checkout, placed.json["id"])
    return checkout, db.session.scalar(db.select(Payment).where(Payment.checkout_id == checkout.id))


def test_two_orders_with_the_same_total_get_different_codes(client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    _own_account(samarinda, "Bank Kaltimtara", "00123456789")
    first, first_pay = _buy(client, "ani@uji.example", [(amplang.id, 2)], make)
    second, second_pay = _buy(client, "budi@uji.example", [(amplang.id, 2)], make)
    assert first.total_idr == second.total_idr
    assert CODE.match(first_pay.transfer_code) and CODE.match(second_pay.transfer_code)
    assert first_pay.transfer_code != second_pay.transfer_code


def test_a_code_already_taken_is_drawn_again(client, make, monkeypatch):
    _s, _b, amplang, _k = two_groups(make)
    _first, taken = _buy(client, "ani@uji.example", [(amplang.id, 1)], make)
    draws = iter([taken.transfer_code, "K7M3QX"])
    monkeypatch.setattr(transfer_codes, "draw", lambda: next(draws))
    _second, payment = _buy(client, "budi@uji.example", [(amplang.id, 1)], make)
    assert payment.transfer_code == "K7M3QX"


def test_buyer_is_told_the_code_with_the_exact_amount_on_the_page_and_by_email(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    _own_account(samarinda, "Bank Kaltimtara", "00123456789")
    outbox = app.extensions.setdefault("mail_outbox", [])
    checkout, payment = _buy(client, "ani@uji.example", [(amplang.id, 2)], make)
    page = client.get(f"/checkout/{checkout.access_key}").get_data(as_text=True)
    start = page.index('id="transfer-howto"')
    howto = page[start : page.index("</ol>", start)]
    assert "Transfer tepat" in howto and "Rp60.000" in howto  # 2 × 25.000 + 10.000 shipping
    assert "Bank Kaltimtara" in howto and "00123456789" in howto and "atas nama UPPKS Mawar" in howto
    assert f'id="transfer-code">{payment.transfer_code}<' in howto and "berita/keterangan transfer" in howto
    assert "<script" not in page
    mail = next(m for m in outbox if m["To"] == "ani@uji.example" and checkout.number in m["Subject"])
    body = mail.get_content()
    assert payment.transfer_code in body and "Rp60.000" in body and "00123456789" in body


def test_treasurer_finds_a_transfer_by_the_code_she_types_and_confirms_it(app, client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    _own_account(samarinda, "Bank Kaltimtara", "00123456789")
    ani, ani_pay = _buy(client, "ani@uji.example", [(amplang.id, 2)], make)
    budi, _budi_pay = _buy(client, "budi@uji.example", [(amplang.id, 2)], make)
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    listing = chair.get(f"/groups/{samarinda.slug}/orders").get_data(as_text=True)
    assert "Cari kode transfer" in listing and ani_pay.transfer_code in listing  # beside each waiting transfer
    code = ani_pay.transfer_code
    typed = f" {code[:3].lower()} {code[3:].lower()} "  # as read aloud from the bank app
    found = chair.get(f"/groups/{samarinda.slug}/orders", query_string={"code": typed}).get_data(as_text=True)
    assert ani.orders[0].number in found and budi.orders[0].number not in found
    assert f"Transfer dengan kode {code}" in found and "Dana sudah masuk" in found  # no proof needed: the code is
    confirmed = chair.post(
        f"/transfers/{ani.id}/confirm", headers={"Referer": f"/groups/{samarinda.slug}/orders?code={code}"}
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert ani.status == "paid" and budi.status == "pending_payment"
    again = chair.get(f"/groups/{samarinda.slug}/orders", query_string={"code": code}).get_data(as_text=True)
    assert ani.orders[0].number in again and "Dibayar" in again and "Dana sudah masuk" not in again


def test_another_groups_code_is_not_found(app, client, make):
    samarinda, bengkulu, amplang, keripik = two_groups(make)
    _own_account(samarinda, "Bank Kaltimtara", "00123456789")
    _own_account(bengkulu, "Bank Bengkulu", "99887766")
    theirs, their_pay = _buy(client, "ani@uji.example", [(keripik.id, 2)], make)
    both, platform_pay = _buy(client, "budi@uji.example", [(amplang.id, 1), (keripik.id, 2)], make)
    assert their_pay.payee_group_id == bengkulu.id and platform_pay.payee_group_id is None
    chair = app.test_client()
    login(chair, "ketua.smd@uji.example")
    for code, number in ((their_pay.transfer_code, theirs.orders[0].number), (platform_pay.transfer_code, both.number)):
        page = chair.get(f"/groups/{samarinda.slug}/orders", query_string={"code": code}).get_data(as_text=True)
        assert f"Kode transfer {code} tidak ditemukan" in page and number not in page
    assert chair.post(f"/transfers/{theirs.id}/confirm").status_code == 404
    # the platform's account is the admins': they find it by its code
    admin = app.test_client()
    login(admin, make.admin().email)
    page = admin.get("/admin/transfers", query_string={"code": platform_pay.transfer_code.lower()})
    assert f"Transfer dengan kode {platform_pay.transfer_code}" in page.get_data(as_text=True)


def test_api_answers_the_transfer_code_of_a_bank_transfer(client, make):
    samarinda, _b, amplang, _k = two_groups(make)
    make.user("ani@uji.example")
    auth = token(client, "ani@uji.example")
    placed = client.post("/api/v1/checkouts", headers=auth, json=checkout_body([(amplang.id, 2)]))
    payment = placed.json["payment"]
    assert payment["method"] == "bank_transfer" and CODE.match(payment["transfer_code"])
    stored = db.session.scalar(db.select(Payment.transfer_code).where(Payment.checkout_id == placed.json["id"]))
    assert payment["transfer_code"] == stored
