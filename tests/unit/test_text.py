"""Slugs in addresses, search words, and text for the PDFs' fonts."""

from __future__ import annotations

from app.core.text import fold, latin1, slugify, words


def test_a_product_name_becomes_a_readable_address():
    assert slugify("Keripik Pisang Manis — Khas Samarinda!") == "keripik-pisang-manis-khas-samarinda"
    assert slugify("Kué Sagú") == "kue-sagu"


def test_a_name_of_punctuation_alone_still_gets_an_address():
    assert slugify("!!!") == "x"


def test_a_long_name_is_cut_at_a_word_not_inside_one():
    slug = slugify("kerupuk " * 20, max_length=30)
    assert len(slug) <= 30
    assert slug.split("-") == ["kerupuk"] * len(slug.split("-"))


def test_search_ignores_accents_and_case():
    assert fold("Kué SAGÚ") == "kue sagu"
    assert fold(None) == ""


def test_search_words_are_letters_and_digits_split_at_everything_else():
    assert words("Amplang  Ikan-Pipih 200g (Kué)") == ["amplang", "ikan", "pipih", "200g", "kue"]
    assert words("  ---  ") == []


def test_pdf_text_turns_typographic_marks_plain_and_replaces_what_the_font_lacks():
    assert latin1("Kue “Enak” — Bu Sri’s – 2026") == 'Kue "Enak" - Bu Sri\'s - 2026'
    assert latin1("Café 漢") == "Café ?"  # é is Latin-1; the Han character is not
    assert latin1(None) == ""
