"""The WhatsApp templates the app sends are the ones docs/whatsapp.md tells the operator to register with
Meta, and each is one Meta accepts: parameters {{1}}…{{n}} in order in both languages, none at the very
start or end of the body."""

import re
from pathlib import Path

from app.core.notices import TEMPLATES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "whatsapp.md").read_text()
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def test_every_template_is_documented_with_its_category_parameters_and_both_bodies():
    for t in TEMPLATES.values():
        section = DOC.split(f"### `{t.name}` — {t.category.upper()}", 1)
        assert len(section) == 2, f"{t.name} is not in docs/whatsapp.md"
        text = section[1].split("### ", 1)[0]
        assert f"- **id**: {t.id}" in text and f"- **en**: {t.en}" in text, t.name
        for i, holds in enumerate(t.params, 1):
            assert f"| `{{{{{i}}}}}` | {holds} |" in text, (t.name, holds)


def test_every_template_is_one_meta_accepts():
    for t in TEMPLATES.values():
        assert t.category in ("utility", "authentication") and re.fullmatch(r"[a-z0-9_]{1,512}", t.name)
        for body in (t.id, t.en):
            numbers = [int(n) for n in PLACEHOLDER.findall(body)]
            assert numbers == list(range(1, len(t.params) + 1)), (t.name, body)
            assert not PLACEHOLDER.match(body) and not PLACEHOLDER.search(body.rstrip(". ")[-6:]), (t.name, body)
            assert "\n" not in body and len(body) <= 1024
