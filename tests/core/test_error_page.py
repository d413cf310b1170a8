"""An error inside a failed database transaction still shows the site's own error page."""

from app import create_app
from app.extensions import db


def test_the_error_page_survives_a_failed_transaction(migrated, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated, "MEDIA_ROOT": str(tmp_path), "PROPAGATE_EXCEPTIONS": False})

    @app.get("/_boom")
    def boom():
        from sqlalchemy import text

        db.session.execute(text("SELECT no_such_column FROM users"))  # the transaction is now failed

    with app.app_context():
        answer = app.test_client().get("/_boom")
        assert answer.status_code == 500
        assert "Terjadi kesalahan di server" in answer.get_data(as_text=True)  # our page, not Flask's bare one
        db.session.remove()
        db.engine.dispose()
