"""After signing in, the `?next=` redirect stays on this site, whatever is crafted into it."""

from urllib.parse import unquote, urlsplit

import pytest

from tests.support.factories import PASSWORD


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/orders\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
        " /orders",
    ],
)
def test_no_redirect_leaves_the_site(client, make, target):
    from app.accounts.views import _safe_next

    make.user("pembeli@uji.example")
    with client.application.test_request_context():
        assert _safe_next(unquote(target)) == "/"  # as the view receives it, decoded
        assert _safe_next("/orders?x=1") == "/orders?x=1"
    answer = client.post(
        "/login?next=" + target.replace("\t", "%09").replace("\r", "%0d").replace("\n", "%0a").replace(" ", "%20"),
        data={"email": "pembeli@uji.example", "password": PASSWORD},
    )
    assert answer.status_code in (302, 422)
    location = answer.headers.get("Location", "")
    # wherever it goes, it stays on this site (a browser drops tab and CR/LF: they are refused, not kept)
    assert urlsplit(location).netloc in ("", "localhost") and not location.startswith("//")
    assert location.isprintable() and "\\" not in location
