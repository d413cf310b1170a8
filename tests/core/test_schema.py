"""`flask db upgrade` on an empty database gives the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.core.schema import include_object
from app.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_search_index_and_constraints_exist(app):
    names = inspect(db.engine).get_table_names()
    assert "product_fts" in names
    checks = {c["name"] for c in inspect(db.engine).get_check_constraints("products")}
    assert "ck_products_stock_nonnegative" in checks


def test_categories_exist_after_upgrade(client):
    slugs = {c["slug"] for c in client.get("/api/v1/categories").json["items"]}
    assert {"keripik", "amplang", "kue", "minyak-kelapa", "teh-herbal", "anyaman", "abon", "sabun"} <= slugs


def test_stock_cannot_go_below_zero_in_the_database(app, make):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from app.catalog.models import Product

    product = make.product(make.group(), stock=1)
    with pytest.raises(IntegrityError):
        db.session.execute(db.update(Product).where(Product.id == product.id).values(stock=-1))
        db.session.flush()
    db.session.rollback()
