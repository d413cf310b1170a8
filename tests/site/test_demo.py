from app.catalog.models import Category, Permit, Photo, Product
from app.extensions import db
from app.groups.models import Group


def test_demo_seed_fills_the_marketplace(runner, app):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    for email in (
        "admin@pasar.example",
        "ketua@pasar.example",
        "bendahara@pasar.example",
        "sekretaris@pasar.example",
        "anggota@pasar.example",
        "pembeli@pasar.example",
    ):
        assert email in result.output
    first = db.session.scalars(db.select(Group).order_by(Group.id)).first()
    roles = {m.user.email: m.role for m in first.memberships}
    assert roles == {
        "ketua@pasar.example": "chair",
        "bendahara@pasar.example": "treasurer",
        "sekretaris@pasar.example": "secretary",
        "anggota@pasar.example": "member",
    }
    assert "pasar-demo-2026" in result.output
    groups = db.session.scalars(db.select(Group).where(Group.status == "verified")).all()
    assert len(groups) >= 8
    assert len({g.province_code for g in groups}) >= 5
    regencies = {g.regency_name for g in groups}
    for place in (
        "Kota Samarinda",
        "Kota Balikpapan",
        "Kabupaten Lebong",
        "Kota Bengkulu",
        "Kabupaten Klungkung",
        "Kabupaten Hulu Sungai Utara",
    ):
        assert place in regencies
    products = db.session.scalars(db.select(Product)).all()
    assert len(products) >= 40
    used = {p.category.slug for p in products}
    assert used == {c.slug for c in db.session.scalars(db.select(Category))}
    assert all(p.photos for p in products)
    assert db.session.scalar(db.select(db.func.count(Photo.id))) >= 40
    statuses = {p.effective_status for p in db.session.scalars(db.select(Permit))}
    assert statuses == {"in_process", "submitted", "verified", "rejected", "expired"}
    again = runner.invoke(args=["demo", "seed"])
    assert "already" in again.output
    assert db.session.scalar(db.select(db.func.count(Product.id))) == len(products)
