"""Ids, page offsets and JSON bodies that no database can hold are refused at the door."""

from __future__ import annotations

import re

import pytest

from app.core import inputs


@pytest.mark.parametrize(
    "raw, value",
    [
        ("1", 1),
        (" 42 ", 42),
        ("01", 1),
        (5, 5),
        ("2147483647", 2147483647),  # the largest id PostgreSQL's int4 holds
    ],
)
def test_a_row_id_from_a_form_or_query_string(raw, value):
    assert inputs.id_value(raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        "0",
        "-1",
        "2147483648",
        "12345678901",
        "4.0",
        "abc",
        "",
        None,
        True,
        0,
        2**31,
        "١٢",  # Arabic-Indic digits are digits to Python, not to the database
    ],
)
def test_anything_else_is_no_id(raw):
    assert inputs.id_value(raw) is None


@pytest.mark.parametrize(
    "raw, offset",
    [
        ("0", 0),
        ("24", 24),
        ("100000", 100_000),
        ("100001", 100_000),
        ("9999999", 100_000),  # past the last page: the last page
        ("-1", 0),
        ("abc", 0),
        (None, 0),
        ("12345678", 0),
    ],
)
def test_a_page_offset_is_bounded(raw, offset):
    assert inputs.offset_value(raw) == offset


@pytest.mark.parametrize(
    "path_id, matches",
    [
        ("0", True),
        ("999999999", True),
        ("1999999999", True),
        ("2147483639", True),
        ("2147483647", True),
        ("2147483648", False),
        ("2147483650", False),
        ("21474836470", False),
        ("9999999999", False),
    ],
)
def test_a_url_with_an_id_beyond_int4_matches_no_page(path_id, matches):
    assert bool(re.fullmatch(inputs.IdConverter.regex, path_id)) is matches


def test_every_string_of_a_json_body_is_found_with_where_it_is():
    found = list(inputs._strings({"name": "Amplang", "lines": [{"note": "pedas"}]}, ""))
    assert ("name", "Amplang") in found and ("lines.0.note", "pedas") in found
    assert ("lines.0.note", "note") in found  # keys are checked too


def test_a_json_body_nested_too_deep_is_refused():
    body = node = {}
    for _ in range(inputs.MAX_JSON_DEPTH + 5):
        node["a"] = [{}]
        node = node["a"][0]
    with pytest.raises(inputs.TooDeep):
        list(inputs._strings(body, ""))


def _nested_lists(levels):
    body = "isi"
    for _ in range(levels):
        body = [body]
    return body


def test_a_json_body_may_be_nested_up_to_the_limit_and_no_further():
    assert list(inputs._strings(_nested_lists(inputs.MAX_JSON_DEPTH), "")) == [("0." * 31 + "0", "isi")]
    with pytest.raises(inputs.TooDeep):
        list(inputs._strings(_nested_lists(inputs.MAX_JSON_DEPTH + 1), ""))
