from datetime import timedelta

from app.core.timefmt import today_wib
from app.extensions import db
from tests.support.factories import token

HOTEL = {
    "name": "Hotel Mesra Samarinda",
    "type": "hotel",
    "npwp": "01.234.567.8-901.000",
    "province": "64",
    "regency": "64.72",
    "address": "Jl. Pahlawan 1",
}
OUTLET = {
    "label": "Hotel utama",
    "name": "Bagian pembelian",
    "phone": "0541 123456",
    "street": "Jl. Pahlawan 1",
    "district": "Samarinda Ulu",
    "regency": "64.72",
    "postal_code": "75123",
}


def soon(days: int = 14) -> str:
    return (today_wib() + timedelta(days=days)).isoformat()


def verified_hotel(client, make, terms: int = 30):
    """A hotel with one staff user, verified with terms, and an outlet address."""
    from app.wholesale import organisations as services

    staff = make.user("pembelian@hotel.example", name="Bu Rina (Hotel)")
    auth = token(client, "pembelian@hotel.example")
    org_id = client.post("/api/v1/organisations", headers=auth, json=HOTEL).json["id"]
    services.verify_org(make.admin(), org_id, terms)
    services.add_address(staff, OUTLET)
    db.session.expire_all()
    return staff, auth, org_id


def amplang_groups(make):
    """Two groups in Kalimantan Timur that sell amplang, 250 and 200 packs in stock."""
    a = make.group(make.user("ketua.a@uji.example"), name="UPPKS Mawar", regency="64.72")
    b = make.group(make.user("ketua.b@uji.example"), name="UPPKS Melati", regency="64.71")
    pa = make.product(a, name="Amplang Pipih", price_idr=25000, stock=250)
    pb = make.product(b, name="Amplang Manggar", price_idr=24000, stock=200)
    return a, b, pa, pb
