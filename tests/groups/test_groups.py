import re

from app.extensions import db
from app.groups.models import Group
from tests.support.factories import invitation_path, login


def test_chair_registers_group_pending_until_admin_verifies(app, client, make):
    chair = make.user("ketua@uji.example")
    login(client, "ketua@uji.example")
    form = client.get("/groups/new").get_data(as_text=True)
    assert '<option value="64">Kalimantan Timur</option>' in form and "Kota Samarinda" not in form  # province first
    step = client.post("/groups/new", data={"name": "UPPKS Mawar", "province": "64", "action": "region"})
    assert step.status_code == 200 and "Kota Samarinda" in step.get_data(as_text=True)
    assert 'value="UPPKS Mawar"' in step.get_data(as_text=True) and "Kota Bandung" not in step.get_data(as_text=True)
    response = client.post(
        "/groups/new",
        data={
            "name": "UPPKS Mawar",
            "regency": "64.72",
            "business_type": "industri_rumah_tangga",
            "member_count": "18",
            "founded_year": "2004",
            "whatsapp": "0812-5300-1122",
        },
    )
    assert response.status_code == 302
    group = db.session.scalars(db.select(Group)).one()
    assert (group.status, group.province_code, group.regency_code, group.whatsapp) == (
        "pending",
        "64",
        "64.72",
        "+6281253001122",
    )
    assert client.get("/g/uppks-mawar").status_code == 404
    assert client.get("/groups/uppks-mawar/products/new").status_code == 403  # not verified yet

    admin = make.admin()
    other = app.test_client()
    login(other, admin.email)
    assert "UPPKS Mawar" in other.get("/officer/queue").get_data(as_text=True)
    assert client.get("/officer/queue").status_code == 403  # a chair is not an officer
    assert other.post("/admin/groups/uppks-mawar/verify").status_code == 302
    assert client.get("/g/uppks-mawar").status_code == 200
    assert client.get("/groups/uppks-mawar/products/new").status_code == 200
    assert chair  # the chair kept her group


def test_group_form_errors_keep_input(client, make):
    make.user("ketua@uji.example")
    login(client, "ketua@uji.example")
    response = client.post(
        "/groups/new",
        data={
            "name": "UPPKS Melati",
            "regency": "99.99",
            "business_type": "industri_rumah_tangga",
            "member_count": "5",
            "whatsapp": "123",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pilih kabupaten/kota dari daftar." in html
    assert "Nomor telepon tidak valid" in html
    assert 'value="UPPKS Melati"' in html
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 0


def test_slugs_stay_unique(make):
    a = make.group(name="UPPKS Mawar")
    b = make.group(name="UPPKS Mawar")
    assert (a.slug, b.slug) == ("uppks-mawar", "uppks-mawar-2")


def test_chair_adds_members_by_email(app, client, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    make.user("anggota@uji.example", name="Ibu Anggota")
    login(client, "ketua@uji.example")
    # the chair invites by e-mail and sees the same answer whether or not the address has an account
    unknown = client.post(
        f"/groups/{group.slug}/members", data={"email": "siapa@uji.example", "role": "member"}, follow_redirects=True
    ).get_data(as_text=True)
    known = client.post(
        f"/groups/{group.slug}/members", data={"email": "anggota@uji.example", "role": "member"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Undangan dikirim ke siapa@uji.example" in unknown and "Undangan dikirim ke anggota@uji.example" in known
    assert "Ibu Anggota" not in known  # not a member until the invitation is accepted
    member_client = app.test_client()
    login(member_client, "anggota@uji.example")
    accept = invitation_path(app)
    assert "Terima undangan" in member_client.get(accept).get_data(as_text=True)
    assert member_client.post(accept).status_code == 302
    assert member_client.post(accept).status_code == 404  # used up
    page = client.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert "Ibu Anggota" in page
    twice = client.post(f"/groups/{group.slug}/members", data={"email": "anggota@uji.example", "role": "member"})
    assert "sudah menjadi anggota" in twice.get_data(as_text=True)
    # the person with no account makes one from the invitation, and is a member at once
    newcomer = app.test_client()
    first = [m for m in app.extensions["mail_outbox"] if m["To"] == "siapa@uji.example"][-1]
    link = re.search(r"http://localhost(/invitations/\S+)", first.get_content()).group(1)
    assert "Buat akun" in newcomer.get(link).get_data(as_text=True)
    assert newcomer.post(link, data={"name": "Ibu Siapa", "password": "password123"}).status_code == 422
    assert newcomer.post(link, data={"name": "Ibu Siapa", "password": "gula-aren-manis-sekali"}).status_code == 302
    assert newcomer.get(f"/groups/{group.slug}/manage").status_code == 200
    # a plain member can sell, but cannot add members
    make.user("lain@uji.example")
    assert member_client.post(f"/groups/{group.slug}/members", data={"email": "lain@uji.example"}).status_code == 403
    assert member_client.get(f"/groups/{group.slug}/products/new").status_code == 200
    assert chair


def test_one_group_cannot_touch_another(app, client, make):
    mine = make.group(make.user("saya@uji.example"))
    theirs = make.group(make.user("mereka@uji.example"))
    their_product = make.product(theirs, status="draft")
    login(client, "saya@uji.example")
    assert client.get(f"/groups/{theirs.slug}/manage").status_code == 404
    assert client.get(f"/groups/{theirs.slug}/products/new").status_code == 404
    assert client.get(f"/products/{their_product.id}/edit").status_code == 404
    assert client.post(f"/products/{their_product.id}/archive").status_code == 404
    assert client.post(f"/products/{their_product.id}/photos", data={}).status_code == 404
    assert client.get(f"/groups/{mine.slug}/manage").status_code == 200


def test_public_group_page_shows_place_story_and_whatsapp(client, make):
    group = make.group(
        name="UPPKS Purun Alabio", regency="63.08", story="Anyaman purun khas Amuntai.", district="Amuntai Tengah"
    )
    make.product(group, name="Tas Anyaman Purun", category="anyaman")
    html = client.get(f"/g/{group.slug}").get_data(as_text=True)
    assert "Kabupaten Hulu Sungai Utara" in html and "Kalimantan Selatan" in html
    assert "Anyaman purun khas Amuntai." in html and "Tas Anyaman Purun" in html
    assert 'href="https://wa.me/6281234567890"' in html


def test_a_group_picks_its_kecamatan_from_its_kabupaten(client, make):
    make.user("ketua@uji.example")
    login(client, "ketua@uji.example")
    form = {
        "name": "UPPKS Melati",
        "province": "64",
        "regency": "64.72",
        "business_type": "industri_rumah_tangga",
        "member_count": "5",
    }
    step = client.post("/groups/new", data=dict(form, action="region", picked="64|"))
    assert step.status_code == 200 and '<option value="Sambutan">Sambutan</option>' in step.get_data(as_text=True)
    wrong = client.post("/groups/new", data=dict(form, district="Coblong"))  # a kecamatan of Bandung
    assert wrong.status_code == 422 and "Kecamatan ini tidak ada di Kota Samarinda." in wrong.get_data(as_text=True)
    assert client.post("/groups/new", data=dict(form, district="sambutan")).status_code == 302
    assert db.session.scalars(db.select(Group)).one().district == "Sambutan"
