"""Maintainers' helper: extract the messages, update the English catalog, list what lacks a translation.

    .venv/bin/python scripts/translate.py          # then fill the empty msgstr in app/translations/en/...
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
pot = Path(tempfile.mkdtemp()) / "messages.pot"
bin_dir = Path(sys.executable).parent
subprocess.run([bin_dir / "pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
                "--sort-output", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
subprocess.run([bin_dir / "pybabel", "update", "-i", str(pot), "-d", "app/translations", "-l", "en",
                "--no-fuzzy-matching", "--ignore-obsolete"], cwd=ROOT, check=True, capture_output=True)
with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as fh:
    missing = [m.id for m in read_po(fh) if m.id and not m.string]
print("\n".join(str(m) for m in missing) or "every message has an English translation")
