"""The site's public address (PUBLIC_URL), the hosts it answers for, and the origins of forms."""

from __future__ import annotations

import pytest

from app.core.links import check_public_url, host_allowed, origin_of


@pytest.mark.parametrize(
    "configured, used",
    [
        ("https://pasar.example/", "https://pasar.example"),
        (" https://pasar.example ", "https://pasar.example"),
        ("http://pasar.example:8080/app/", "http://pasar.example:8080/app"),
    ],
)
def test_the_public_address_is_used_without_a_trailing_slash(configured, used):
    assert check_public_url(configured) == used


@pytest.mark.parametrize(
    "configured",
    [
        "",
        None,
        "pasar.example",
        "ftp://pasar.example",
        "https://admin@pasar.example",
        "https://pasar.example?x=1",
        "https://pasar.example#top",
        "https://pasar.example:abc",
    ],
)
def test_a_public_address_that_links_could_not_be_built_from_stops_the_app_starting(configured):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        check_public_url(configured)


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://Pasar.Example", ("https", "pasar.example", 443)),
        ("http://pasar.example:8080/x", ("http", "pasar.example", 8080)),
        ("null", None),  # what a sandboxed page sends
        ("https://pasar.example:99999", None),
        ("javascript:alert(1)", None),
    ],
)
def test_the_origin_of_a_form_is_scheme_host_and_port(url, origin):
    assert origin_of(url) == origin


CONFIG = {"PUBLIC_URL": "https://pasar.example", "EXTRA_TRUSTED_HOSTS": ["10.0.0.5"]}


@pytest.mark.parametrize(
    "host, allowed",
    [
        ("pasar.example", True),
        ("pasar.example:443", True),
        ("10.0.0.5", True),  # an instance's own address, configured
        ("evil.example", False),  # a reset link must never be built for another host
        ("pasar.example.evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_requests_are_answered_for_the_sites_own_hosts_only(host, allowed):
    assert host_allowed(host, CONFIG) is allowed
