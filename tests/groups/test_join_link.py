"""Joining a group without e-mail: the chair makes a join link (a QR code on the manage page), a woman opens
it, signs up with her phone number and asks to join, the chair confirms or refuses; an expired or revoked
link is refused, and only the chair may make links or answer."""

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.groups.models import JoinLink, Membership
from tests.support.factories import last_code, login, phone_sign_in


def _make_link(client, group) -> str:
    answer = client.post(f"/groups/{group.slug}/join-link")
    assert answer.status_code == 302
    page = client.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code
    return re.search(r'id="join-link">http://localhost(/join/[^<]+)<', page).group(1)


def test_a_woman_joins_by_the_link_and_the_chair_confirms(app, make):
    chair = make.user("ketua@uji.example", name="Ibu Ketua")
    group = make.group(chair)
    ketua = app.test_client()
    login(ketua, "ketua@uji.example")
    path = _make_link(ketua, group)

    siti = app.test_client()
    page = siti.get(path)
    assert page.status_code == 200 and group.name in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # signs up by phone from the link, and comes back to it
    siti.get(f"/register/phone?next={path}")
    siti.post(f"/register/phone?next={path}", data={"name": "Ibu Siti", "phone": "081234567001"})

    answer = siti.post("/login/phone/code", data={"code": last_code(app, "+6281234567001")})
    assert answer.headers["Location"] == path
    assert siti.post(path).status_code == 302
    assert "Permintaan Anda sudah terkirim" in siti.get(path).get_data(as_text=True)
    assert siti.get(f"/groups/{group.slug}/manage").status_code == 404  # not a member yet

    manage = ketua.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert "<strong>Ibu Siti</strong> (0812-3456-7001)" in manage
    request_id = re.search(r'id="join-request-(\d+)"', manage).group(1)
    assert ketua.post(f"/groups/{group.slug}/join-requests/{request_id}/confirm").status_code == 302
    member = db.session.scalar(select(Membership).where(Membership.group_id == group.id, Membership.role == "member"))
    assert member is not None and member.user.name == "Ibu Siti"
    # the link now takes her to her group's home, and so does signing in
    assert siti.get(path).headers["Location"] == f"/groups/{group.slug}"
    again = app.test_client()
    assert phone_sign_in(app, again, "081234567001").headers["Location"] == f"/groups/{group.slug}"
    # a request answered is not answered twice
    assert "sudah dijawab" in ketua.post(
        f"/groups/{group.slug}/join-requests/{request_id}/refuse", follow_redirects=True
    ).get_data(as_text=True)


def test_the_chair_refuses_a_request(app, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    ketua = app.test_client()
    login(ketua, "ketua@uji.example")
    path = _make_link(ketua, group)
    rina = app.test_client()
    phone_sign_in(app, rina, "081234567002", name="Ibu Rina")
    rina.post(path)
    request_id = re.search(
        r'id="join-request-(\d+)"', ketua.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    ).group(1)
    ketua.post(f"/groups/{group.slug}/join-requests/{request_id}/refuse")
    assert db.session.scalar(select(Membership).where(Membership.role == "member")) is None
    assert "ditolak" in rina.get(path).get_data(as_text=True)


def test_an_expired_or_revoked_link_is_refused(app, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    ketua = app.test_client()
    login(ketua, "ketua@uji.example")
    path = _make_link(ketua, group)
    siti = app.test_client()
    phone_sign_in(app, siti, "081234567001", name="Ibu Siti")
    assert siti.get(path).status_code == 200
    link = db.session.scalar(select(JoinLink))
    link.expires_at = link.created_at + timedelta(days=7) - timedelta(days=8)
    db.session.commit()
    assert siti.get(path).status_code == 404
    assert siti.post(path).status_code == 404
    # a new link works; revoked, it is refused too
    path = _make_link(ketua, group)
    assert siti.get(path).status_code == 200
    ketua.post(f"/groups/{group.slug}/join-link/revoke")
    assert siti.get(path).status_code == 404
    assert 'id="join-link"' not in ketua.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    assert db.session.scalar(select(Membership).where(Membership.role == "member")) is None


def test_only_the_chair_makes_links_and_answers_requests(app, make):
    chair = make.user("ketua@uji.example")
    group = make.group(chair)
    treasurer = make.user("bendahara@uji.example")
    db.session.add(Membership(group_id=group.id, user_id=treasurer.id, role="treasurer"))
    db.session.commit()
    bendahara = app.test_client()
    login(bendahara, "bendahara@uji.example")
    assert bendahara.post(f"/groups/{group.slug}/join-link").status_code == 403
    assert 'action="/groups/' + group.slug + '/join-link"' not in bendahara.get(
        f"/groups/{group.slug}/manage"
    ).get_data(as_text=True)
    ketua = app.test_client()
    login(ketua, "ketua@uji.example")
    path = _make_link(ketua, group)
    siti = app.test_client()
    phone_sign_in(app, siti, "081234567001", name="Ibu Siti")
    siti.post(path)
    request_id = re.search(
        r'id="join-request-(\d+)"', ketua.get(f"/groups/{group.slug}/manage").get_data(as_text=True)
    ).group(1)
    assert bendahara.post(f"/groups/{group.slug}/join-requests/{request_id}/confirm").status_code == 403
    assert siti.post(f"/groups/{group.slug}/join-requests/{request_id}/confirm").status_code == 404
    assert db.session.scalar(select(Membership).where(Membership.role == "member")) is None
